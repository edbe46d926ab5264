//! Every invalid fixture gives exit 2 and its diagnostics, snapshot as the user sees
//! them; each fixture also names the code it must carry.

use crate::common::{ctrlmap, relative, snapshot_settings};

#[test]
fn invalid_catalogs() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("fixtures/invalid/catalog/*.toml", |path| {
        let run = ctrlmap(&["check", "--controls", &relative(path)]);
        assert_eq!(run.code, 2, "{}", run.transcript());
        assert!(run.stdout.is_empty());
        assert!(!run.stderr.contains("panicked"));
        insta::assert_snapshot!(run.stderr);
    });
}

#[test]
fn invalid_incidents() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("fixtures/invalid/incident/*.toml", |path| {
        let run = ctrlmap(&["report", &relative(path)]);
        assert_eq!(run.code, 2, "{}", run.transcript());
        assert!(run.stdout.is_empty());
        assert!(!run.stderr.contains("panicked"));
        insta::assert_snapshot!(run.stderr);
    });
}

/// Each fixture named after a code must report that code.
#[test]
fn fixtures_carry_their_code() {
    let cases = [
        ("catalog/malformed-toml.toml", "toml-syntax"),
        ("catalog/unknown-key.toml", "toml-syntax"),
        ("catalog/unknown-fact.toml", "unknown-fact"),
        ("catalog/unknown-fact.toml", "unknown-kind"),
        ("catalog/unknown-fact.toml", "unknown-number"),
        ("catalog/duplicate-id.toml", "duplicate-id"),
        ("catalog/dangling-reference.toml", "dangling-reference"),
        ("catalog/deadline-cycle.toml", "deadline-cycle"),
        ("catalog/implies-cycle.toml", "implies-cycle"),
        ("catalog/bad-deadline.toml", "invalid-deadline"),
        ("catalog/bad-calendar.toml", "invalid-calendar"),
        ("catalog/unknown-calendar.toml", "invalid-deadline"),
        ("catalog/bad-date.toml", "invalid-date"),
        ("catalog/rule-syntax.toml", "rule-syntax"),
        ("catalog/notify-without-recipient.toml", "missing-field"),
        ("catalog/notify-without-recipient.toml", "invalid-value"),
        ("incident/contradiction.toml", "contradiction"),
        ("incident/bad-time.toml", "invalid-time"),
        ("incident/unknown-value.toml", "unknown-fact"),
        ("incident/unknown-key.toml", "toml-syntax"),
        ("incident/malformed-toml.toml", "toml-syntax"),
    ];
    for (file, code) in cases {
        let path = format!("tests/fixtures/invalid/{file}");
        let run = if file.starts_with("catalog/") {
            ctrlmap(&["check", "--controls", &path])
        } else {
            ctrlmap(&["report", &path])
        };
        assert_eq!(run.code, 2, "{file}");
        assert!(
            run.stderr.contains(&format!("error[{code}]")),
            "{file} should report {code}:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("{path}:")),
            "{file}: no file:line:col in\n{}",
            run.stderr
        );
    }
}

/// Warnings do not fail `check`, but they are shown with their place.
#[test]
fn unreachable_obligations_are_warned_about() {
    let _guard = snapshot_settings().bind_to_scope();
    let run = ctrlmap(&[
        "check",
        "--controls",
        "tests/fixtures/warnings/unreachable-obligation.toml",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[unreachable-obligation]"));
    assert!(run.stderr.contains("never:c1.never"));
    assert!(!run.stderr.contains("never:c1.sometimes"));
    insta::assert_snapshot!(run.transcript());
}

/// A catalog large enough to be validated on every core reports exactly what its files
/// report one by one (each small enough for one thread), in framework order.
#[test]
fn large_catalogs_report_like_small_ones_in_order() {
    use std::fmt::Write as _;
    let dir = crate::common::tempdir("large-catalog");
    let mut files = Vec::new();
    for f in 0..6 {
        let mut text = format!(
            "[framework]\nid = \"big{f}\"\ntitle = \"Big {f}\"\nkind = \"standard\"\nsource = \"https://example.org/big{f}\"\n"
        );
        for c in 0..1_000 {
            let source = if c == 100 + f {
                "not a url".to_owned()
            } else {
                format!("https://example.org/big{f}#c{c}")
            };
            let when = if c == 700 - f {
                "data:emial"
            } else {
                "data:email or vector:third-party"
            };
            let _ = write!(
                text,
                "\n[[control]]\nid = \"c{c}\"\ntitle = \"Control {c}\"\nsummary = \"A control.\"\nsource = \"{source}\"\n\
                 [[control.obligation]]\nid = \"c{c}.notify\"\nkind = \"notify\"\nnotify = \"Someone\"\naction = \"Tell.\"\nwhen = \"{when}\"\n"
            );
        }
        let path = dir.join(format!("big{f}.toml"));
        std::fs::write(&path, text).expect("write");
        files.push(path);
    }
    let without_total = |stderr: &str| {
        stderr
            .lines()
            .filter(|l| !l.ends_with("problems found"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let whole = ctrlmap(&["check", "--controls", &relative(&dir)]);
    assert_eq!(whole.code, 2, "{}", whole.transcript());
    let one_by_one: Vec<String> = files
        .iter()
        .map(|path| {
            let run = ctrlmap(&["check", "--controls", &relative(path)]);
            assert_eq!(run.code, 2, "{}", run.transcript());
            without_total(&run.stderr)
        })
        .collect();
    assert_eq!(without_total(&whole.stderr), one_by_one.join("\n"));
    assert!(whole.stderr.ends_with("error: 12 problems found\n"), "{}", whole.stderr);
    // And again, byte for byte.
    assert_eq!(ctrlmap(&["check", "--controls", &relative(&dir)]).stderr, whole.stderr);
}

/// A fact declared twice in one layer is an error naming both places; a later layer
/// may replace it.
#[test]
fn duplicate_facts_within_a_layer_and_across_layers() {
    let _guard = snapshot_settings().bind_to_scope();
    let run = ctrlmap(&["check", "--controls", "tests/fixtures/layers/duplicate-fact"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    insta::assert_snapshot!(run.stderr);
    let layered = ctrlmap(&[
        "check",
        "--controls",
        "tests/fixtures/layers/duplicate-fact/a.toml",
        "--controls",
        "tests/fixtures/layers/override",
    ]);
    assert_eq!(layered.code, 0, "{}", layered.transcript());
    let list = ctrlmap(&[
        "list",
        "facts",
        "--controls",
        "tests/fixtures/layers/duplicate-fact/a.toml",
        "--controls",
        "tests/fixtures/layers/override",
    ]);
    assert!(
        list.stdout.contains("renamed by a later layer"),
        "{}",
        list.transcript()
    );
}
