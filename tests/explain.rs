//! `explain`, `map` and `graph`: answers for every item of every report, snapshots on
//! the fixture catalog, diagrams that Graphviz renders, labels that cannot inject.

use std::process::Command;

use crate::common::{VENDOR_EMAIL, ctrlmap, ctrlmap_fixture, snapshot_settings, tempdir};

#[test]
fn explain_snapshots() {
    let _guard = snapshot_settings().bind_to_scope();
    let cases: [(&str, &[&str]); 5] = [
        ("explain_applies", &["privacy:notice.authority"]),
        ("explain_may_apply", &["privacy:notice.people"]),
        ("explain_framework_not_applicable", &["cards"]),
        ("explain_framework_may_apply", &["supply:vendors.review"]),
        ("explain_scope_all", &["cards:respond", "--scope", "all"]),
    ];
    for (name, rest) in cases {
        let mut args = vec!["explain", VENDOR_EMAIL];
        args.extend_from_slice(rest);
        let run = ctrlmap_fixture(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(name, run.stdout);
    }
    let run = ctrlmap_fixture(&["explain", VENDOR_EMAIL, "privacy:notice.authorty"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `privacy:notice.authority`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn map_composes_along_links() {
    let run = ctrlmap(&["map", "pci-dss:12.8", "--to", "nis2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("nis2:art21"), "{}", run.stdout);
    assert!(run.stdout.contains("path: pci-dss:12.8"), "{}", run.stdout);
    assert_eq!(ctrlmap(&["map", "pci-dss:12.80"]).code, 2);
    assert_eq!(ctrlmap(&["map", "pci-dss:12.8", "--to", "nis"]).code, 2);
}

#[test]
fn map_snapshots() {
    let _guard = snapshot_settings().bind_to_scope();
    let to = ctrlmap_fixture(&["map", "cards:respond", "--to", "supply"]);
    assert_eq!(to.code, 0, "{}", to.stderr);
    insta::assert_snapshot!("map_to_framework", to.stdout);
    let all = ctrlmap_fixture(&["map", "supply:vendors"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    insta::assert_snapshot!("map_all", all.stdout);
    // cards:respond ⊆ supply:vendors and supply:vendors ∩ privacy:notice say nothing
    // about cards:respond and privacy:notice.
    let none = ctrlmap_fixture(&["map", "cards:respond", "--to", "privacy"]);
    assert_eq!(none.code, 0, "{}", none.stderr);
    assert!(!none.stdout.contains("privacy:notice"), "{}", none.stdout);
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
    let run = ctrlmap_fixture(&["graph", VENDOR_EMAIL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("graph_dot", run.stdout);
    let mermaid = ctrlmap_fixture(&["graph", VENDOR_EMAIL, "--format", "mermaid"]);
    assert_eq!(mermaid.code, 0, "{}", mermaid.stderr);
    insta::assert_snapshot!("graph_mermaid", mermaid.stdout);
    let incident = ctrlmap(&["graph", "incidents/flickr-2026-02.toml"]);
    assert_eq!(incident.code, 0, "{}", incident.stderr);
    let catalog = ctrlmap(&["graph"]);
    assert_eq!(catalog.code, 0, "{}", catalog.stderr);
    for dot_text in [&run.stdout, &incident.stdout, &catalog.stdout] {
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
