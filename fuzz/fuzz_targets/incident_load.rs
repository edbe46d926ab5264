//! Any text as an incident file: load, close, evaluate and render it; never panic.
#![no_main]

use std::sync::OnceLock;

use ctrlmap::{Catalog, CatalogGraph, FactValues, Incident, ScopeMode, SourceMap, Sources, evaluate};
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        ctrlmap::load_catalog(&Sources::embedded(), &mut SourceMap::new())
            .expect("embedded catalog")
            .0
    })
}

fn graph() -> &'static CatalogGraph<'static> {
    static GRAPH: OnceLock<CatalogGraph<'static>> = OnceLock::new();
    GRAPH.get_or_init(|| CatalogGraph::build(catalog()))
}

fuzz_target!(|text: &str| {
    let (catalog, graph) = (catalog(), graph());
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
            let Ok(exposure) = evaluate(catalog, graph, &incident, &values, ScopeMode::Org) else {
                return;
            };
            let options = ctrlmap::ReportOptions::default();
            let _ = ctrlmap::render_markdown(&exposure, &map, &options);
            let _ = ctrlmap::render_json(&exposure, &map, &options);
            let drafts = ctrlmap::drafts(&exposure, &[]);
            for d in &drafts {
                let _ = ctrlmap::draft_markdown(&exposure, d);
            }
        }
        Err(diags) => {
            let _ = map.render(&diags);
        }
    }
});
