//! Any text as one more catalog file on top of the embedded catalog: load and validate
//! it, build the graph and search reachability; never panic.
#![no_main]

use ctrlmap::catalog::{self, Sources};
use ctrlmap::diag::SourceMap;
use ctrlmap::graph::CatalogGraph;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let sources = Sources {
        default_controls: true,
        dirs: Vec::new(),
        texts: vec![("fuzz.toml".to_owned(), text.to_owned())],
    };
    let mut map = SourceMap::new();
    match catalog::load(&sources, &mut map) {
        Ok((catalog, warnings)) => {
            let _ = map.render(&warnings);
            let graph = CatalogGraph::build(&catalog);
            let _ = graph.verify();
            let _ = ctrlmap::reach::unreachable_obligations(&catalog);
        }
        Err(diags) => {
            let _ = map.render(&diags);
        }
    }
});
