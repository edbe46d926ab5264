//! Any text as a VERIS incident: import it, and load what the importer wrote as an
//! incident (an importer must never produce an incident ctrlmap rejects); never panic.
#![no_main]

use std::sync::OnceLock;

use ctrlmap::Catalog;
use ctrlmap::Incident;
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
    match ctrlmap::import_veris(&map, file, &catalog().taxonomy) {
        Ok(toml) => {
            let converted = map.add("imported.toml", toml);
            if let Err(diags) = Incident::parse(converted, &catalog().taxonomy, &map) {
                panic!(
                    "the importer wrote an incident ctrlmap rejects:\n{}\n{}",
                    map.text(converted),
                    map.render(&diags)
                );
            }
        }
        Err(diags) => {
            let _ = map.render(&diags);
        }
    }
});
