//! Any text as an incident file: load, close, evaluate and render it; never panic.
#![no_main]

use std::sync::OnceLock;

use ctrlmap::catalog::{self, Sources};
use ctrlmap::diag::SourceMap;
use ctrlmap::evaluate::{ScopeMode, evaluate};
use ctrlmap::facts::FactValues;
use ctrlmap::graph::CatalogGraph;
use ctrlmap::incident::Incident;
use ctrlmap::model::Catalog;
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static (Catalog, CatalogGraph) {
    static CATALOG: OnceLock<(Catalog, CatalogGraph)> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let catalog = catalog::load(&Sources::embedded(), &mut SourceMap::new()).expect("embedded catalog").0;
        let graph = CatalogGraph::build(&catalog);
        (catalog, graph)
    })
}

fuzz_target!(|text: &str| {
    let (catalog, graph) = catalog();
    let mut map = SourceMap::new();
    let file = map.add("fuzz.toml", text.to_owned());
    let incident = match Incident::parse(file, &catalog.taxonomy, &map) {
        Ok(i) => i,
        Err(diags) => {
            let _ = map.render(&diags);
            return;
        }
    };
    match FactValues::close(&catalog.taxonomy, &incident) {
        Ok(values) => {
            let exposure = evaluate(catalog, graph, &incident, &values, ScopeMode::Org);
            let options = ctrlmap::report::Options::default();
            let _ = ctrlmap::report::markdown::render(&exposure, &map, &options);
            let _ = ctrlmap::report::json::render(&exposure, &map, &options);
            let drafts = ctrlmap::draft::drafts(&exposure, &[]);
            for d in &drafts {
                let _ = ctrlmap::draft::markdown(&exposure, d);
            }
        }
        Err(diags) => {
            let _ = map.render(&diags);
        }
    }
});
