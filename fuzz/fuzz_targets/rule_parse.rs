//! Any string as a rule: parsing must return a rule or errors, never panic or overflow,
//! and a parsed rule must evaluate.
#![no_main]

use std::sync::OnceLock;

use ctrlmap::Catalog;
use ctrlmap::FactId;
use ctrlmap::SourceMap;
use ctrlmap::Sources;
use ctrlmap::Truth;
use ctrlmap::{Env, Rule};
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        ctrlmap::load_catalog(&Sources::embedded(), &mut SourceMap::new())
            .expect("embedded catalog")
            .0
    })
}

struct Half;

impl Env for Half {
    fn fact(&self, fact: FactId) -> Truth {
        [Truth::False, Truth::Unknown, Truth::True][fact.index() % 3]
    }
    fn number(&self, name: &str) -> Option<u64> {
        (name.len() % 2 == 0).then_some(500)
    }
}

fuzz_target!(|text: &str| {
    if let Ok(rule) = Rule::parse(text, &catalog().taxonomy) {
        let _ = rule.eval(&Half);
        let _ = rule.to_string();
    }
});
