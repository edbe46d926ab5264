//! `explain`, `map` and `graph`: answers for every item of every report, snapshots of
//! a selection, diagrams that Graphviz renders, labels that cannot inject.

use std::process::Command;

use ctrlmap::catalog::{self, Sources};
use ctrlmap::diag::SourceMap;
use ctrlmap::evaluate::{ScopeMode, evaluate};
use ctrlmap::explain::explain;
use ctrlmap::facts::FactValues;
use ctrlmap::graph::CatalogGraph;
use ctrlmap::incident::Incident;

use crate::common::{ctrlmap, incidents, snapshot_settings, tempdir};

/// Every framework, control and obligation of every example report gets an answer
/// whose verdict agrees with the report.
#[test]
fn explain_answers_for_every_item_of_every_report() {
    let mut map = SourceMap::new();
    let (catalog, _) = catalog::load(&Sources::embedded(), &mut map).expect("catalog");
    let graph = CatalogGraph::build(&catalog);
    for path in incidents() {
        let incident = Incident::load(&path, &catalog.taxonomy, &mut map).expect("incident");
        let values = FactValues::close(&catalog.taxonomy, &incident).expect("facts");
        let exposure = evaluate(&catalog, &graph, &incident, &values, ScopeMode::Org).expect("in range");
        let mut items = Vec::new();
        for f in &exposure.frameworks {
            items.push((f.framework.id.clone(), f.status));
            for c in &f.controls {
                items.push((c.control.id.clone(), c.status));
                for o in &c.obligations {
                    items.push((o.obligation.id.clone(), o.status));
                }
            }
        }
        for (id, status) in items {
            let text = explain(&exposure, &map, &id).expect("explained");
            assert!(
                text.contains(&format!("Result: {}", status.as_str())),
                "{}: {id} should be {}:\n{text}",
                path.display(),
                status.as_str()
            );
        }
    }
}

#[test]
fn explain_snapshots() {
    let _guard = snapshot_settings().bind_to_scope();
    let cases: [(&str, &str, &[&str]); 7] = [
        ("flickr_gdpr_art33", "incidents/flickr-2026-02.toml", &["gdpr:art33.1"]),
        (
            "flickr_nis2_early_warning",
            "incidents/flickr-2026-02.toml",
            &["nis2:art23.early-warning"],
        ),
        ("flickr_dora_not_applicable", "incidents/flickr-2026-02.toml", &["dora"]),
        (
            "flickr_california_not_applicable",
            "incidents/flickr-2026-02.toml",
            &["us-ca-breach"],
        ),
        (
            "flickr_pci_scope_all",
            "incidents/flickr-2026-02.toml",
            &["pci-dss:12.8", "--scope", "all"],
        ),
        (
            "instagram_sec_filing",
            "incidents/instagram-2026-01.toml",
            &["sec-8k:1.05.filing"],
        ),
        (
            "eu_bank_dora_initial",
            "incidents/eu-bank-cloud-provider-2026.toml",
            &["dora:art19.initial"],
        ),
    ];
    for (name, incident, rest) in cases {
        let mut args = vec!["explain", incident];
        args.extend_from_slice(rest);
        let run = ctrlmap(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(name, run.stdout);
    }
    let run = ctrlmap(&["explain", "incidents/flickr-2026-02.toml", "gdpr:art33x"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean"), "{}", run.stderr);
}

#[test]
fn map_composes_along_links() {
    let _guard = snapshot_settings().bind_to_scope();
    let run = ctrlmap(&["map", "pci-dss:12.8", "--to", "nis2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("nis2:art21"), "{}", run.stdout);
    assert!(run.stdout.contains("path: pci-dss:12.8"), "{}", run.stdout);
    insta::assert_snapshot!("map_pci_to_nis2", run.stdout);
    let all = ctrlmap(&["map", "pci-dss:12.8"]);
    insta::assert_snapshot!("map_pci_all", all.stdout);
    assert_eq!(ctrlmap(&["map", "pci-dss:12.80"]).code, 2);
    assert_eq!(ctrlmap(&["map", "pci-dss:12.8", "--to", "nis"]).code, 2);
}

#[test]
fn map_follows_chains_and_keeps_the_weakest_confidence() {
    let dir = tempdir("map-chain");
    std::fs::write(
        dir.join("chain.toml"),
        r#"
[framework]
id = "chain"
title = "Links that compose"
kind = "guidance"
source = "https://example.org/chain"

[[control]]
id = "a"
title = "A"
summary = "Inside B."
source = "https://example.org/chain#a"
related = [{ to = "chain:b", relation = "subset-of", confidence = "high" }]

[[control]]
id = "b"
title = "B"
summary = "Equal to C."
source = "https://example.org/chain#b"
related = [{ to = "chain:c", relation = "equal", confidence = "low" }]

[[control]]
id = "c"
title = "C"
summary = "Contains D."
source = "https://example.org/chain#c"
related = [{ to = "chain:d", relation = "superset-of", confidence = "medium" }]

[[control]]
id = "d"
title = "D"
summary = "Inside C."
source = "https://example.org/chain#d"
"#,
    )
    .expect("write");
    let run = ctrlmap(&[
        "map",
        "chain:a",
        "--no-default-controls",
        "--controls",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("chain:a subset-of chain:c (confidence: low)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("path: chain:a —subset-of→ chain:b —equal→ chain:c"),
        "{}",
        run.stdout
    );
    // A ⊆ C ⊇ D proves nothing about A and D.
    assert!(!run.stdout.contains("chain:d"), "{}", run.stdout);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn graph_renders_with_graphviz() {
    let _guard = snapshot_settings().bind_to_scope();
    let run = ctrlmap(&["graph", "incidents/flickr-2026-02.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("graph_flickr_dot", run.stdout);
    let mermaid = ctrlmap(&["graph", "incidents/flickr-2026-02.toml", "--format", "mermaid"]);
    insta::assert_snapshot!("graph_flickr_mermaid", mermaid.stdout);
    let catalog = ctrlmap(&["graph"]);
    assert_eq!(catalog.code, 0);
    for dot_text in [&run.stdout, &catalog.stdout] {
        render_svg(dot_text);
    }
}

/// Text in a catalog with quotes, brackets and markup stays inside its label.
#[test]
fn graph_labels_are_escaped() {
    let dir = tempdir("graph-escape");
    std::fs::write(
        dir.join("evil.toml"),
        r#"
[framework]
id = "evil"
title = "Evil \"]; n0 -> n1 [label=\"x <b>bold</b> `code` [link](http://x) #1 | pipe"
kind = "guidance"
source = "https://example.org/evil"

[[control]]
id = "c1"
title = "Quote \" and ]] and }; digraph { injected }"
summary = "Nothing."
source = "https://example.org/evil#c1"
"#,
    )
    .expect("write");
    let controls = dir.to_str().expect("utf-8");
    let dot = ctrlmap(&["graph", "--no-default-controls", "--controls", controls]);
    assert_eq!(dot.code, 0, "{}", dot.stderr);
    assert!(!dot.stdout.contains("n0 -> n1 [label=\"x"), "{}", dot.stdout);
    let svg = render_svg(&dot.stdout);
    if let Some(svg) = svg {
        assert!(!svg.contains("<b>bold</b>"), "markup passed through");
    }
    let mermaid = ctrlmap(&[
        "graph",
        "--no-default-controls",
        "--controls",
        controls,
        "--format",
        "mermaid",
    ]);
    for line in mermaid.stdout.lines() {
        assert_eq!(line.matches('"').count() % 2, 0, "unbalanced quotes: {line}");
        assert!(!line.contains("<b>") && !line.contains('`'), "{line}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Renders DOT with Graphviz when it is installed (CI installs it); returns the SVG.
#[allow(clippy::disallowed_macros, reason = "a skipped check says why")]
fn render_svg(dot_text: &str) -> Option<String> {
    use std::io::Write as _;
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Graphviz (`dot`) installed"
        );
        eprintln!("skipped: Graphviz `dot` is not installed");
        return None;
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dot_text.as_bytes())
        .expect("write dot");
    let out = child.wait_with_output().expect("dot runs");
    assert!(
        out.status.success(),
        "dot failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = String::from_utf8(out.stdout).expect("svg");
    assert!(svg.contains("<svg"));
    Some(svg)
}
