//! The hostile corpus (`tests/hostile/`): malformed and hostile inputs for every format
//! ctrlmap reads. Each must end with exit 2 and a message that says where, never a
//! panic; the messages are snapshots.

use crate::common::{ctrlmap, relative, snapshot_settings};

fn assert_rejected(args: &[&str]) -> String {
    let run = ctrlmap(args);
    assert_eq!(run.code, 2, "{args:?} should fail with exit 2:\n{}", run.transcript());
    assert!(!run.stderr.contains("panicked"), "{args:?} panicked:\n{}", run.stderr);
    assert!(run.stdout.is_empty(), "{args:?} wrote to stdout");
    let located = run.stderr.lines().any(|l| {
        l.contains("offset")
            || l.split(':').collect::<Vec<_>>().windows(2).any(|w| {
                w[0].chars().last().is_some_and(|c| c.is_ascii_digit())
                    && w[1].chars().next().is_some_and(|c| c.is_ascii_digit())
            })
    });
    assert!(located, "{args:?}: no file:line:col in\n{}", run.stderr);
    assert!(
        run.stderr.len() < 20_000,
        "{args:?}: {} bytes of diagnostics",
        run.stderr.len()
    );
    assert_terminal_safe(&run.stderr);
    run.stderr
}

/// No character that could act on a terminal or hide text: controls (a carriage
/// return only before a newline), bidi overrides, zero-width characters.
fn assert_terminal_safe(text: &str) {
    let unsafe_char = text.char_indices().find(|&(i, c)| {
        (c.is_control() && c != '\n' && c != '\t' && !(c == '\r' && text[i + 1..].starts_with('\n')))
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    });
    assert!(unsafe_char.is_none(), "{:?} in {}", unsafe_char, text.escape_debug());
}

#[test]
fn hostile_incidents() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/incident/*", |path| {
        insta::assert_snapshot!(assert_rejected(&["report", &relative(path)]));
    });
}

#[test]
fn hostile_catalogs() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/catalog/*", |path| {
        insta::assert_snapshot!(assert_rejected(&["check", "--controls", &relative(path)]));
    });
}

/// Catalogs that are valid but probably not what was meant: `check` passes with a
/// warning at the place.
#[test]
fn hostile_catalog_warnings() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/catalog-warn/*", |path| {
        let run = ctrlmap(&["check", "--controls", &relative(path)]);
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert!(run.stderr.starts_with("warning["), "{}", run.stderr);
        insta::assert_snapshot!(run.stderr);
    });
}

#[test]
fn hostile_veris() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/veris/*", |path| {
        insta::assert_snapshot!(assert_rejected(&["import", "veris", &relative(path)]));
    });
}

#[test]
fn hostile_oscal() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/oscal/*", |path| {
        insta::assert_snapshot!(assert_rejected(&["import", "oscal", &relative(path)]));
    });
}

/// Input files over the size limit are refused before they are read.
#[test]
fn oversized_files_are_refused() {
    let dir = crate::common::tempdir("oversized");
    let path = dir.join("huge.toml");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(ctrlmap::MAX_FILE_BYTES + 1).expect("sparse file");
    let run = ctrlmap(&["report", path.to_str().expect("utf-8")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[too-large]"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

/// A catalog folder with more files than the limit is refused with a clear message.
#[test]
fn too_many_catalog_files_are_refused() {
    let dir = crate::common::tempdir("many-files");
    for i in 0..=ctrlmap::MAX_FILES {
        std::fs::write(dir.join(format!("f{i:05}.toml")), "").expect("write");
    }
    let run = ctrlmap(&["check", "--controls", dir.to_str().expect("utf-8")]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("error[too-large]"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

const EVIL_INCIDENT: &str = r#"
id = "evil-1"
title = "Evil <script>alert(1)</script> [click](javascript:alert(1)) | pipe, see https://evil.example/x, www.evil.example or bob@evil.example"
summary = "---"

[timeline]
discovered = "2026-02-05T09:00:00Z"

[organization]
name = "<b>Org</b> ![img](http://x) \u202Egnp.exe\u200B"
status = ["gdpr-controller"]

[affected]
residency = ["FR"]

[data]
exposed = ["email"]
"#;

/// Text from an incident cannot inject links (not even GitHub's autolinks), HTML,
/// headings, rules or table cells into the Markdown report, nor formulas or bidi
/// overrides into batch CSV.
#[test]
fn incident_text_cannot_inject_into_reports() {
    let dir = crate::common::tempdir("evil-report");
    let name = "=HYPERLINK(1)\u{202E}.toml";
    std::fs::write(dir.join(name), EVIL_INCIDENT).expect("write");
    let path = dir.join(name);
    let path = path.to_str().expect("utf-8");
    let md = ctrlmap(&["report", path]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    for tag in ["<script", "<img", "<b>"] {
        for (i, _) in md.stdout.match_indices(tag) {
            assert!(md.stdout[..i].ends_with('\\'), "unescaped {tag}");
        }
    }
    assert!(!md.stdout.contains("[click](javascript"), "a link survived");
    for autolink in ["https://evil", "www.evil", "bob@evil"] {
        assert!(!md.stdout.contains(autolink), "an autolink survived: {autolink}");
    }
    assert!(
        md.stdout
            .contains("https\\://evil.example/x, www\\.evil.example or bob\\@evil.example")
    );
    assert!(
        !md.stdout.lines().any(|l| l.trim_start_matches("> ").starts_with("---")),
        "a rule"
    );
    assert!(!md.stdout.contains("\n# Heading"), "a heading was injected");
    assert_terminal_safe(&md.stdout);
    let json = ctrlmap(&["report", path, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON whatever the text");
    assert!(
        value["incident"]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Evil <script>"))
    );
    let csv = std::process::Command::new(env!("CARGO_BIN_EXE_ctrlmap"))
        .args(["batch", name])
        .current_dir(&dir)
        .output()
        .expect("runs");
    assert_eq!(csv.status.code(), Some(0), "{}", String::from_utf8_lossy(&csv.stderr));
    let csv = String::from_utf8(csv.stdout).expect("UTF-8");
    let row = csv.lines().nth(1).expect("a row");
    assert!(
        row.starts_with("'=HYPERLINK(1)???.toml,"),
        "the formula is defused: {row}"
    );
    assert_terminal_safe(&csv);
    let _ = std::fs::remove_dir_all(dir);
}

fn arg(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A folder of scenarios (copies of the Flickr incident) and the snapshots folder
/// beside it.
fn scenario_folder(name: &str, scenarios: &[&str]) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let dir = crate::common::tempdir(name);
    let scenario_dir = dir.join("scenarios");
    std::fs::create_dir_all(&scenario_dir).expect("mkdir");
    for s in scenarios {
        std::fs::copy(
            crate::common::root().join("incidents/flickr-2026-02.toml"),
            scenario_dir.join(format!("{s}.toml")),
        )
        .expect("copy");
    }
    let snapshots = dir.join("reports");
    (dir, scenario_dir, snapshots)
}

/// `verify --accept` removes only reports it wrote: never a file the user keeps beside
/// them, and never anything when the snapshots folder is, or contains, the scenarios.
#[test]
fn verify_accept_removes_only_its_own_reports() {
    let (dir, scenarios, snapshots) = scenario_folder("verify-own", &["a", "b"]);
    std::fs::write(scenarios.join("README.md"), "# notes\n").expect("write");
    for folder in [&scenarios, &dir] {
        let run = ctrlmap(&["verify", arg(&scenarios), "--snapshots", arg(folder), "--accept"]);
        assert_eq!(run.code, 2, "{}", run.transcript());
        assert!(
            run.stderr.contains("is or contains the scenario folder"),
            "{}",
            run.stderr
        );
    }
    assert!(scenarios.join("README.md").is_file());
    std::fs::create_dir_all(&snapshots).expect("mkdir");
    for user in ["README.md", "NOTES.md", "package.json"] {
        std::fs::write(snapshots.join(user), "mine\n").expect("write");
    }
    for format in ["markdown", "json"] {
        let verify = |accept: bool| {
            let mut args = vec![
                "verify",
                arg(&scenarios),
                "--snapshots",
                arg(&snapshots),
                "--format",
                format,
            ];
            if accept {
                args.push("--accept");
            }
            ctrlmap(&args)
        };
        assert_eq!(verify(true).code, 0);
        let run = verify(false);
        assert_eq!(
            run.code,
            0,
            "the user's files are not stale reports: {}",
            run.transcript()
        );
        std::fs::rename(scenarios.join("b.toml"), scenarios.join("b.txt")).expect("rename");
        let run = verify(true);
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert!(run.stdout.contains("1 stale (accepted)"), "{}", run.stdout);
        std::fs::rename(scenarios.join("b.txt"), scenarios.join("b.toml")).expect("rename");
    }
    for user in ["README.md", "NOTES.md", "package.json"] {
        assert_eq!(std::fs::read_to_string(snapshots.join(user)).expect("kept"), "mine\n");
    }
    assert!(!snapshots.join("b.md").exists() && !snapshots.join("b.json").exists());
    assert!(snapshots.join("a.md").is_file() && snapshots.join("a.json").is_file());
    // A report edited by hand is no longer provably ctrlmap's: it is left alone.
    std::fs::write(snapshots.join("a.md"), "edited\n").expect("write");
    std::fs::remove_file(scenarios.join("a.toml")).expect("rm");
    let run = ctrlmap(&["verify", arg(&scenarios), "--snapshots", arg(&snapshots), "--accept"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        std::fs::read_to_string(snapshots.join("a.md")).expect("kept"),
        "edited\n"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A stored report that is a link (to a file outside, or to a device) is an error: it
/// is neither read through nor replaced, and what it points to is untouched.
#[cfg(unix)]
#[test]
fn verify_refuses_stored_reports_that_are_links() {
    let (dir, scenarios, snapshots) = scenario_folder("verify-links", &["a"]);
    std::fs::create_dir_all(&snapshots).expect("mkdir");
    let outside = dir.join("secret.txt");
    std::fs::write(&outside, "secret\n").expect("write");
    for target in [outside.as_path(), std::path::Path::new("/dev/zero")] {
        let link = snapshots.join("a.md");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(target, &link).expect("symlink");
        for accept in [false, true] {
            let mut args = vec!["verify", arg(&scenarios), "--snapshots", arg(&snapshots)];
            if accept {
                args.push("--accept");
            }
            let run = ctrlmap(&args);
            assert_eq!(run.code, 2, "{}", run.transcript());
            assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
            assert!(!run.stdout.contains("secret"), "{}", run.stdout);
            assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
        }
    }
    assert_eq!(std::fs::read_to_string(&outside).expect("kept"), "secret\n");
    let _ = std::fs::remove_dir_all(dir);
}

/// Scenario names that are not text are refused: two such names could share one
/// stored report. Names are never printed raw.
#[cfg(unix)]
#[test]
fn verify_refuses_scenario_names_that_are_not_text() {
    use std::os::unix::ffi::OsStrExt as _;
    for name in [&b"caf\xe9.toml"[..], b"a\x1b[2Jb.toml", "a\u{202E}b.toml".as_bytes()] {
        let (dir, scenarios, snapshots) = scenario_folder("verify-names", &[]);
        std::fs::copy(
            crate::common::root().join("incidents/flickr-2026-02.toml"),
            scenarios.join(std::ffi::OsStr::from_bytes(name)),
        )
        .expect("copy");
        let run = ctrlmap(&["verify", arg(&scenarios), "--snapshots", arg(&snapshots), "--accept"]);
        assert_eq!(run.code, 2, "{}", run.transcript());
        assert!(run.stderr.contains("not plain text"), "{}", run.stderr);
        assert!(
            !run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{202E}'),
            "{}",
            run.stderr
        );
        assert!(!snapshots.exists());
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// What a stored report holds reaches the terminal only defused.
#[test]
fn verify_diffs_carry_no_control_characters() {
    let (dir, scenarios, snapshots) = scenario_folder("verify-escape", &["a"]);
    std::fs::create_dir_all(&snapshots).expect("mkdir");
    std::fs::write(
        snapshots.join("a.md"),
        "\u{1b}]0;owned\u{7}\r\nfake: 0 changed\u{202E}\n",
    )
    .expect("write");
    let run = ctrlmap(&["verify", arg(&scenarios), "--snapshots", arg(&snapshots)]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        !run.stdout.contains(['\u{1b}', '\u{7}', '\u{202E}']),
        "{}",
        run.stdout.escape_debug()
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Devices and pipes say they hold 0 bytes: every command that reads a file refuses
/// them before reading (a pipe is not even opened, which would wait for a writer).
#[cfg(unix)]
#[test]
fn devices_and_pipes_are_refused_everywhere() {
    let dir = crate::common::tempdir("devices");
    let fifo = dir.join("pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for input in ["/dev/zero", arg(&fifo)] {
        for args in [
            vec!["report", input],
            vec!["batch", input],
            vec!["import", "veris", input],
            vec!["import", "oscal", input],
            vec!["check", "--controls", input],
        ] {
            let run = ctrlmap(&args);
            assert_eq!(run.code, 2, "{args:?}: {}", run.transcript());
            assert!(run.stderr.contains("not a regular file"), "{args:?}: {}", run.stderr);
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A catalog's files together may hold at most `MAX_CATALOG_BYTES`: files that each
/// pass the per-file limit but add up to more are refused before any is read.
#[test]
fn a_catalog_over_the_total_limit_is_refused_before_it_is_read() {
    let dir = crate::common::tempdir("catalog-total");
    let each = ctrlmap::MAX_FILE_BYTES - 1;
    let files = ctrlmap::MAX_CATALOG_BYTES / each + 1;
    for i in 0..files {
        let file = std::fs::File::create(dir.join(format!("f{i}.toml"))).expect("create");
        file.set_len(each).expect("sparse file");
    }
    let run = ctrlmap(&["check", "--controls", arg(&dir)]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("error[too-large]"), "{}", run.stderr);
    assert!(run.stderr.contains("add up to more than"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

/// Two obligations whose drafts would share a file name (`x:y_z` and `x_y:z`, or ids
/// that differ only in case) are refused, both named, and no draft is written.
#[test]
fn drafts_that_would_share_a_file_are_refused() {
    let dir = crate::common::tempdir("draft-collide");
    for (ids, named) in [
        (["x:y_z", "x_y:z"], "would both be written to"),
        (["x:Notice", "x:notice"], "one file where case is ignored"),
    ] {
        let out = dir.join("drafts");
        let run = ctrlmap(&[
            "draft",
            "incidents/flickr-2026-02.toml",
            ids[0],
            ids[1],
            "--controls",
            "tests/fixtures/collide",
            "--output",
            arg(&out),
        ]);
        assert_eq!(run.code, 2, "{}", run.transcript());
        assert!(run.stderr.contains(named), "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("`{}` and `{}`", ids[0], ids[1])),
            "{}",
            run.stderr
        );
        assert!(!out.exists(), "nothing is written");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Drafts edited by hand, or files ctrlmap did not write, are not replaced without
/// `--force`; nothing is written then, not even the drafts that could be.
#[test]
fn drafts_edited_by_hand_are_not_replaced() {
    let dir = crate::common::tempdir("draft-edited");
    let out = dir.join("drafts");
    let draft = |force: bool| {
        let mut args = vec!["draft", "incidents/flickr-2026-02.toml", "--output", arg(&out)];
        if force {
            args.push("--force");
        }
        ctrlmap(&args)
    };
    assert_eq!(draft(false).code, 0);
    assert_eq!(draft(false).code, 0, "its own drafts are replaced");
    let edited = out.join("gdpr_art33.1.md");
    std::fs::write(&edited, "my own words\n").expect("write");
    let other = out.join("gdpr_art34.1.md");
    std::fs::remove_file(&other).expect("rm");
    let run = draft(false);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("gdpr_art33.1.md is not what ctrlmap wrote"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&edited).expect("kept"), "my own words\n");
    assert!(!other.exists(), "nothing is written when one draft cannot be");
    assert_eq!(draft(true).code, 0);
    assert_ne!(std::fs::read_to_string(&edited).expect("replaced"), "my own words\n");
    assert!(other.is_file());
    // A file of the same name that ctrlmap never wrote.
    std::fs::remove_file(out.join(".ctrlmap-manifest")).expect("rm");
    std::fs::write(&edited, "notes\n").expect("write");
    assert_eq!(draft(false).code, 2);
    assert_eq!(std::fs::read_to_string(&edited).expect("kept"), "notes\n");
    let _ = std::fs::remove_dir_all(dir);
}

/// `report --output` never replaces the incident or a catalog file it read.
#[test]
fn a_report_never_replaces_its_input() {
    let dir = crate::common::tempdir("report-input");
    let incident = dir.join("incident.toml");
    std::fs::copy(crate::common::root().join("incidents/flickr-2026-02.toml"), &incident).expect("copy");
    let catalog_dir = dir.join("catalog");
    std::fs::create_dir_all(&catalog_dir).expect("mkdir");
    let catalog = catalog_dir.join("extra.toml");
    std::fs::copy(crate::common::root().join("tests/fixtures/collide/x_y.toml"), &catalog).expect("copy");
    let before = (
        std::fs::read(&incident).expect("read"),
        std::fs::read(&catalog).expect("read"),
    );
    for output in [&incident, &catalog] {
        for controls in [arg(&catalog), arg(&catalog_dir)] {
            let run = ctrlmap(&[
                "report",
                arg(&incident),
                "--controls",
                controls,
                "--output",
                arg(output),
            ]);
            assert_eq!(run.code, 2, "{}", run.transcript());
            assert!(run.stderr.contains("is the input file"), "{}", run.stderr);
        }
    }
    assert_eq!(
        (
            std::fs::read(&incident).expect("read"),
            std::fs::read(&catalog).expect("read")
        ),
        before
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs the binary with stdout and stderr sent where `setup` says; the exit code.
#[cfg(unix)]
fn exit_with(args: &[&str], setup: impl FnOnce(&mut std::process::Command)) -> Option<i32> {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ctrlmap"));
    command.args(args).current_dir(crate::common::root());
    setup(&mut command);
    command.status().expect("runs").code()
}

/// A full disk on stdout is exit 2 with a message, not a silent success; a full or
/// closed stderr is never a panic (exit 101); a closed stdout pipe stays quiet.
#[cfg(unix)]
#[test]
fn write_errors_are_exit_2_never_a_panic() {
    use std::process::Stdio;
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    let report = ["report", "incidents/flickr-2026-02.toml"];
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ctrlmap"))
        .args(report)
        .current_dir(crate::common::root())
        .stdout(full())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the output"));
    let warns = ["check", "--controls", "tests/hostile/catalog-warn/same-as-itself.toml"];
    assert_eq!(
        exit_with(&warns, |c| {
            c.stdout(Stdio::null()).stderr(full());
        }),
        Some(2)
    );
    let errors = ["check", "--controls", "tests/hostile/catalog"];
    assert_eq!(
        exit_with(&errors, |c| {
            c.stdout(Stdio::null()).stderr(full());
        }),
        Some(2)
    );
    // A closed pipe: the reading end is dropped before the binary writes.
    for (args, expected) in [(&warns[..], 0), (&errors[..], 2)] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ctrlmap"))
            .args(args)
            .current_dir(crate::common::root())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        drop(child.stderr.take());
        assert_eq!(child.wait().expect("ends").code(), Some(expected), "{args:?}");
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ctrlmap"))
        .args(report)
        .current_dir(crate::common::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("ends");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `map` finds every relationship a chain establishes, not one per control: m:a ⊇ m:c
/// through m:a = m:y ⊇ m:b ⊇ m:c, although the shorter m:a ⊆ m:b proves nothing
/// about m:c; the order of `related` entries does not change the answer.
#[test]
fn map_follows_every_chain_whatever_the_order_of_links() {
    let runs: Vec<String> = ["tests/fixtures/map/m.toml", "tests/fixtures/map/m-reversed.toml"]
        .iter()
        .map(|catalog| {
            let run = ctrlmap(&["map", "m:a", "--controls", catalog]);
            assert_eq!(run.code, 0, "{}", run.transcript());
            run.stdout
        })
        .collect();
    assert!(
        runs[0].contains("m:a superset-of m:c (confidence: unspecified)\n  path: m:a —equal→ m:y —superset-of→ m:b —superset-of→ m:c\n"),
        "{}",
        runs[0]
    );
    assert_eq!(runs[0], runs[1]);
}

/// A taxonomy of `n` closed facts `chain:f0` … (each implying the next when `chained`).
fn chain_taxonomy(n: usize, chained: bool) -> String {
    use std::fmt::Write as _;
    let mut text = String::from("[kind.chain]\ntitle = \"Chain\"\nworld = \"closed\"\n\n[kind.chain.facts]\n");
    for i in 0..n {
        let implies = if chained && i + 1 < n {
            format!(", implies = [\"chain:f{}\"]", i + 1)
        } else {
            String::new()
        };
        let _ = writeln!(text, "f{i} = {{ title = \"F{i}\"{implies} }}");
    }
    text
}

/// Closing facts is linear: a chain of 20,000 `implies` with the first fact stated
/// (27 s and 11 GB before), and 20,000 facts stated one by one. The report lists
/// every fact once, so its size grows with the number of facts.
#[test]
fn long_chains_and_many_stated_facts_close_in_linear_time() {
    use std::fmt::Write as _;
    const N: usize = 20_000;
    let dir = crate::common::tempdir("closure");
    for chained in [true, false] {
        let catalog = dir.join(if chained { "chained" } else { "flat" });
        std::fs::create_dir_all(&catalog).expect("mkdir");
        std::fs::write(catalog.join("taxonomy.toml"), chain_taxonomy(N, chained)).expect("write");
        let mut incident = String::from("id = \"c\"\ntitle = \"Chain\"\n\n[facts]\n");
        let stated = if chained { 1 } else { N };
        for i in 0..stated {
            let _ = writeln!(incident, "\"chain:f{i}\" = true");
        }
        let path = dir.join("incident.toml");
        std::fs::write(&path, incident).expect("write");
        let run = ctrlmap(&["report", arg(&path), "--controls", arg(&catalog)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains(&format!("`chain:f{}`", N - 1)));
        assert!(run.stdout.len() < 200 * N, "{} bytes", run.stdout.len());
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Many controls that read a deep fact: the chain is written at the first reason that
/// names the fact, later ones refer to it, so the report grows with the number of
/// controls plus the depth, not their product (2,000 controls × 500 facts made 30 MB).
#[test]
fn deep_facts_in_many_controls_are_explained_once() {
    use std::fmt::Write as _;
    const DEPTH: usize = 500;
    const CONTROLS: usize = 2_000;
    let dir = crate::common::tempdir("deep-reasons");
    let catalog = dir.join("catalog");
    std::fs::create_dir_all(&catalog).expect("mkdir");
    std::fs::write(catalog.join("taxonomy.toml"), chain_taxonomy(DEPTH, true)).expect("write");
    let mut framework = String::from(
        "[framework]\nid = \"deep\"\ntitle = \"Deep\"\nkind = \"guidance\"\nsource = \"https://example.org/d\"\n",
    );
    for i in 0..CONTROLS {
        let _ = write!(
            framework,
            "\n[[control]]\nid = \"c{i}\"\ntitle = \"C{i}\"\nsummary = \"S.\"\nsource = \"https://example.org/d#c{i}\"\nwhen = \"chain:f{}\"\n",
            DEPTH - 1 - i % 10
        );
    }
    std::fs::write(catalog.join("deep.toml"), framework).expect("write");
    let incident = dir.join("incident.toml");
    std::fs::write(
        &incident,
        "id = \"d\"\ntitle = \"Deep\"\n\n[facts]\n\"chain:f0\" = true\n",
    )
    .expect("write");
    let run = ctrlmap(&[
        "report",
        arg(&incident),
        "--controls",
        arg(&catalog),
        "--no-default-controls",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.len() < 2_000_000, "{} bytes of Markdown", run.stdout.len());
    assert!(run.stdout.contains(&format!(
        "`chain:f{}` is true (`chain:f0` → … → `chain:f{}`, the chain of {DEPTH} facts above;",
        DEPTH - 1,
        DEPTH - 1
    )));
    // The JSON report too writes each long chain once; later reasons give its ends.
    let json = ctrlmap(&[
        "report",
        arg(&incident),
        "--controls",
        arg(&catalog),
        "--no-default-controls",
        "--format",
        "json",
    ]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert!(json.stdout.len() < 4_000_000, "{} bytes of JSON", json.stdout.len());
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let reasons: Vec<&serde_json::Value> = report["frameworks"][0]["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .flat_map(|c| c["reasons"].as_array().expect("reasons"))
        .collect();
    let whole = reasons.iter().filter(|r| r.get("elided").is_none()).count();
    assert_eq!(whole, 10, "each of the 10 chains whole once");
    let short = reasons
        .iter()
        .find(|r| r.get("elided").is_some())
        .expect("a shortened chain");
    assert_eq!(short["path"].as_array().map(Vec::len), Some(2));
    assert_eq!(short["path"][0], "chain:f0");
    let _ = std::fs::remove_dir_all(dir);
}

/// Manifests that would make `verify --accept` remove a file outside the snapshots
/// folder, or one it cannot name safely, are refused whole: nothing is removed.
#[test]
fn hostile_manifests() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/manifest/*", |path| {
        let (dir, scenarios, snapshots) = scenario_folder("manifest", &["a"]);
        std::fs::create_dir_all(&snapshots).expect("mkdir");
        std::fs::copy(path, snapshots.join(".ctrlmap-manifest")).expect("copy");
        let run = ctrlmap(&["verify", arg(&scenarios), "--snapshots", arg(&snapshots), "--accept"]);
        assert_eq!(run.code, 2, "{}", run.transcript());
        assert!(scenarios.join("a.toml").is_file());
        assert_terminal_safe(&run.stderr);
        let shown = run.stderr.replace(arg(&dir), "[tmp]");
        insta::assert_snapshot!(shown);
        let _ = std::fs::remove_dir_all(dir);
    });
}

/// File names given on the command line reach stderr defused, in every message.
#[test]
fn paths_in_messages_are_defused() {
    let dir = crate::common::tempdir("paths");
    let out = dir.join("a\u{1b}[2J\u{202E}b");
    let run = ctrlmap(&[
        "draft",
        "incidents/flickr-2026-02.toml",
        "gdpr:art33.1",
        "--output",
        arg(&out),
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stderr.contains("wrote "), "{}", run.stderr);
    assert_terminal_safe(&run.stderr);
    let run = ctrlmap(&[
        "report",
        "incidents/flickr-2026-02.toml",
        "--output",
        arg(&out.join("x\u{7}/r.md")),
    ]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert_terminal_safe(&run.stderr);
    let _ = std::fs::remove_dir_all(dir);
}
