//! Any text as an OSCAL catalog: import it; never panic.
#![no_main]

use std::sync::OnceLock;

use ctrlmap::Catalog;
use ctrlmap::SourceMap;
use ctrlmap::Sources;
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        ctrlmap::load_catalog(&Sources::embedded(), &mut SourceMap::new())
            .expect("embedded catalog")
            .0
    })
}

fuzz_target!(|text: &str| {
    let mut map = SourceMap::new();
    let file = map.add("fuzz.json", text.to_owned());
    match ctrlmap::import_oscal(&map, file, None, None, &catalog().taxonomy) {
        Ok(_) => {}
        Err(diags) => {
            let _ = map.render(&diags);
        }
    }
});
