//! Notification drafts: snapshots on the fixture catalog, a draft for every example
//! incident, the mandated order and headings, escaping, and never claiming what the
//! incident does not state.

use std::fs;

use crate::common::{VENDOR_EMAIL, ctrlmap, ctrlmap_fixture, incidents, relative, snapshot_settings, tempdir};

/// Drafts rendered from the fixture catalog: content fields with values and gaps, a
/// mandated title and headings, a may-apply notice, a notice without content.
#[test]
fn draft_snapshots() {
    let _guard = snapshot_settings().bind_to_scope();
    let markdown = ctrlmap_fixture(&["draft", VENDOR_EMAIL]);
    assert_eq!(markdown.code, 0, "{}", markdown.stderr);
    insta::assert_snapshot!("drafts_markdown", markdown.stdout);
    let json = ctrlmap_fixture(&["draft", VENDOR_EMAIL, "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    insta::assert_snapshot!("drafts_json", json.stdout);
}

/// Every example incident gets a draft of each notice that applies or may apply.
#[test]
fn drafts_of_every_example_incident() {
    for path in incidents() {
        let file = relative(&path);
        let run = ctrlmap(&["draft", &file]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        assert!(run.stdout.starts_with("# Draft: "), "{file}:\n{}", run.stdout);
    }
}

#[test]
fn gdpr_art33_follows_the_order_of_the_article() {
    let run = ctrlmap(&["draft", "incidents/flickr-2026-02.toml", "gdpr:art33.1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.stdout;
    assert!(
        text.contains("**Due:** 2026-02-08 09:00 UTC (discovered + 72h)"),
        "{text}"
    );
    assert!(text.contains("Data involved: Name; Email address"), "{text}");
    assert!(
        text.contains("add `affected.count`"),
        "the count is marked to complete:\n{text}"
    );
    let order = [
        "breach nature",
        "data subject count",
        "record categories",
        "contact point",
        "likely consequences",
        "measures taken or proposed",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|f| text.find(&format!("**{f}**")).unwrap_or_else(|| panic!("{f} missing")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "fields out of order: {positions:?}"
    );
}

#[test]
fn california_notice_has_its_title_and_five_headings_in_order() {
    let run = ctrlmap(&[
        "draft",
        "incidents/us-retailer-card-vendor-2026.toml",
        "us-ca-breach:1798.82.residents",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let headings: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("## ") || l.starts_with("### "))
        .collect();
    assert_eq!(
        headings,
        [
            "## Notice of Data Breach",
            "### What Happened",
            "### What Information Was Involved",
            "### What We Are Doing",
            "### What You Can Do",
            "### For More Information",
        ]
    );
}

/// Derived facts, defaults and assumptions never appear as content.
#[test]
fn drafts_state_only_what_the_incident_states() {
    let run = ctrlmap(&[
        "draft",
        "incidents/flickr-2026-02.toml",
        "gdpr:art33.1",
        "--assume",
        "count=5000",
        "--assume",
        "data:health=true",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stdout.contains("Personal data"),
        "a derived parent was listed:\n{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("Health"),
        "an assumption was listed:\n{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("5,000"),
        "an assumed count was listed:\n{}",
        run.stdout
    );
}

#[test]
fn user_text_is_escaped() {
    let dir = tempdir("draft-escape");
    let incident = dir.join("evil.toml");
    fs::write(
        &incident,
        r##"
id = "evil"
title = "Evil <script>alert(1)</script> [click](http://x)"
summary = "# Heading injection | table | `code`"

[timeline]
discovered = "2026-02-05T09:00:00Z"

[organization]
status = ["gdpr-controller"]

[affected]
residency = ["FR"]

[data]
exposed = ["email"]

[response]
measures_taken = "![img](http://x) <img src=x onerror=alert(1)>"
"##,
    )
    .expect("write");
    let run = ctrlmap(&["draft", incident.to_str().expect("utf-8"), "gdpr:art33.1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for tag in ["<script", "<img", "<b>"] {
        for (i, _) in run.stdout.match_indices(tag) {
            assert!(run.stdout[..i].ends_with('\\'), "unescaped {tag}:\n{}", run.stdout);
        }
    }
    assert!(!run.stdout.contains("[click](http"), "{}", run.stdout);
    assert!(run.stdout.contains("\\<img"), "{}", run.stdout);
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn drafts_are_written_one_file_each_inside_the_folder() {
    let dir = tempdir("draft-output");
    let out = dir.join("drafts");
    let run = ctrlmap(&[
        "draft",
        "incidents/flickr-2026-02.toml",
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut names: Vec<String> = fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"gdpr_art33.1.md".to_owned()), "{names:?}");
    assert!(
        names.iter().all(|n| n == ".ctrlmap-manifest"
            || std::path::Path::new(n).extension().is_some_and(|x| x == "md") && !n.starts_with('.')),
        "drafts and their manifest: {names:?}"
    );
    assert_eq!(fs::read_dir(&dir).expect("dir").count(), 1, "nothing outside --output");
    let _ = fs::remove_dir_all(dir);
    assert_eq!(
        ctrlmap(&["draft", "incidents/flickr-2026-02.toml", "gdpr:art33x"]).code,
        2
    );
}
