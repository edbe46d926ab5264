//! Snapshots of the Markdown and JSON report of every file in `incidents/`.

use crate::common::{ctrlmap, relative, snapshot_settings};

#[test]
fn markdown_reports() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("..", "incidents/*.toml", |path| {
        let run = ctrlmap(&["report", &relative(path)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(run.stdout);
    });
}

#[test]
fn json_reports() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("..", "incidents/*.toml", |path| {
        let run = ctrlmap(&["report", &relative(path), "--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(run.stdout);
    });
}

#[test]
fn flickr_scope_all() {
    let _guard = snapshot_settings().bind_to_scope();
    let run = ctrlmap(&["report", "incidents/flickr-2026-02.toml", "--scope", "all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}
