//! Catalog snapshots: any bytes are refused or read, never a panic; and any text whose
//! snapshot reads gives exactly what parsing the text gives, spans included.
#![no_main]

use ctrlmap::catalog::snapshot::{decode, encode::encode};
use ctrlmap::spec::CatalogFileSpec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode::<CatalogFileSpec>(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(bytes) = encode(text) else {
        return;
    };
    if let Ok(spec) = decode::<CatalogFileSpec>(&bytes) {
        let parsed = toml::from_str::<CatalogFileSpec>(text).expect("a text whose snapshot reads also parses");
        assert_eq!(format!("{spec:?}"), format!("{parsed:?}"));
    }
});
