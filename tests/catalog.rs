//! The shipped catalog: every entry sourced, every deadline readable, every required
//! control present.

use ctrlmap::SourceMap;
use ctrlmap::Sources;

#[test]
fn required_controls_exist_with_sources() {
    let mut map = SourceMap::new();
    let (catalog, warnings) = ctrlmap::load_catalog(&Sources::embedded(), &mut map).expect("loads");
    assert!(warnings.is_empty(), "{}", map.render(&warnings));
    let required = [
        (
            "pci-dss",
            &["12.8", "12.8.1", "12.8.2", "12.8.3", "12.8.4", "12.8.5", "12.10"][..],
        ),
        ("nydfs-500", &["500.11", "500.16", "500.17"]),
        ("dora", &["art19", "art28", "art30"]),
        ("nis2", &["art21", "art23"]),
        ("cisa-ztmm", &["data"]),
        ("gdpr", &["art28", "art33", "art34"]),
        ("sec-8k", &["1.05"]),
        ("hipaa", &["164.404", "164.406", "164.408"]),
        ("us-ca-breach", &["1798.82"]),
        ("us-ny-breach", &["899-aa"]),
        ("iso-27001", &["a5.19", "a5.21", "a5.24", "a5.26"]),
        ("nist-csf", &["gv.sc", "rs.co"]),
    ];
    for (fw, ids) in required {
        let framework = catalog.framework(fw).unwrap_or_else(|| panic!("framework {fw}"));
        assert!(framework.source.starts_with("https://"), "{fw} source");
        for id in ids {
            let full = format!("{fw}:{id}");
            let found = framework.controls().iter().any(|c| c.id == full)
                || framework
                    .controls()
                    .iter()
                    .flat_map(ctrlmap::Control::obligations)
                    .any(|o| o.id == full);
            assert!(found, "{full} missing");
        }
    }
    for c in catalog.controls() {
        assert!(c.source.starts_with("http"), "{} has no source", c.id);
        for o in c.obligations() {
            assert!(o.source.starts_with("http"), "{} has no source", o.id);
        }
    }
}

#[test]
fn catalog_graph_is_consistent() {
    let mut map = SourceMap::new();
    let (catalog, _) = ctrlmap::load_catalog(&Sources::embedded(), &mut map).expect("loads");
    let graph = ctrlmap::CatalogGraph::build(&catalog);
    graph.verify().expect("graph consistent");
    let groups = graph.same_as_groups();
    let total: usize = groups.iter().map(Vec::len).sum();
    assert_eq!(
        total,
        catalog.obligations().count(),
        "every obligation in exactly one group"
    );
}
