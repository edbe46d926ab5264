//! Any text as a catalog file, loaded beside a small fixed taxonomy (so that each run
//! is fast enough for the fuzzer to explore): load and validate it, build the graph and
//! search reachability; never panic.
#![no_main]

use ctrlmap::CatalogGraph;
use ctrlmap::SourceMap;
use ctrlmap::Sources;
use libfuzzer_sys::fuzz_target;

const TAXONOMY: &str = r#"
[kind.data]
title = "Data"
world = "closed"
[kind.data.facts]
personal = { title = "Personal data" }
email = { title = "Email", implies = ["data:personal"] }
[kind.status]
title = "Status"
world = "open"
[kind.status.facts]
controller = { title = "Controller" }
[kind.residency]
title = "Residency"
world = "closed"
[kind.residency.facts]
EU = { title = "EU" }
FR = { title = "France", implies = ["residency:EU"] }
[numbers]
count = { title = "Affected" }
"#;

fuzz_target!(|text: &str| {
    let sources = Sources {
        default_controls: false,
        dirs: Vec::new(),
        texts: vec![
            ("taxonomy.toml".to_owned(), TAXONOMY.to_owned()),
            ("fuzz.toml".to_owned(), text.to_owned()),
        ],
    };
    let mut map = SourceMap::new();
    match ctrlmap::load_catalog(&sources, &mut map) {
        Ok((catalog, warnings)) => {
            let _ = map.render(&warnings);
            let graph = CatalogGraph::build(&catalog);
            let _ = graph.verify();
            let _ = ctrlmap::unreachable_obligations(&catalog);
        }
        Err(diags) => {
            let _ = map.render(&diags);
        }
    }
});
