//! Importers: OSCAL catalogs with ATT&CK mappings, VERIS incidents.
//!
//! Hand-made fixtures in `tests/fixtures/import/` are snapshot-tested. The tests on the
//! real data in `../shared/data` (NIST SP 800-53, the CTID mappings, 2,000 VCDB
//! incidents) are ignored by default and fail without it: run them with
//! `cargo test -- --include-ignored` (CI does, where the data is).

use std::path::{Path, PathBuf};
use std::time::Instant;

use ctrlmap::CatalogGraph;
use ctrlmap::FactValues;
use ctrlmap::Sources;
use ctrlmap::{Diagnostic, FileId, SourceMap};
use ctrlmap::{ScopeMode, Status, evaluate};

use ctrlmap::Incident;
use ctrlmap::{Catalog, ControlStatus};

use crate::common::{ctrlmap, relative, root, snapshot_settings};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/import").join(name)
}

fn add(map: &mut SourceMap, path: &Path) -> FileId {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    map.add(relative(path), text)
}

fn embedded() -> (Catalog, SourceMap) {
    let mut map = SourceMap::new();
    let (catalog, _) = ctrlmap::load_catalog(&Sources::embedded(), &mut map).expect("the embedded catalog loads");
    (catalog, map)
}

/// Imports an OSCAL file (and mappings) with the embedded taxonomy.
fn import_oscal(catalog_path: &Path, mappings: Option<&Path>, id: Option<&str>) -> Result<String, String> {
    let (catalog, mut map) = embedded();
    let file = add(&mut map, catalog_path);
    let mappings = mappings.map(|p| add(&mut map, p));
    ctrlmap::import_oscal(&map, file, mappings, id, &catalog.taxonomy).map_err(|d| map.render(&d))
}

/// Imports a VERIS file with the embedded taxonomy.
fn import_veris(path: &Path) -> Result<String, String> {
    let (catalog, mut map) = embedded();
    let file = add(&mut map, path);
    ctrlmap::import_veris(&map, file, &catalog.taxonomy).map_err(|d| map.render(&d))
}

/// A scratch folder for one test, removed first if left from an earlier run.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ctrlmap-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Loads the embedded catalog plus one framework file; panics on errors or warnings.
fn load_with(framework_toml: &str, name: &str) -> (Catalog, SourceMap) {
    let dir = scratch(name);
    let path = dir.join("framework.toml");
    std::fs::write(&path, framework_toml).expect("write");
    let mut map = SourceMap::new();
    let sources = Sources {
        default_controls: true,
        dirs: vec![path],
        texts: Vec::new(),
    };
    let loaded = ctrlmap::load_catalog(&sources, &mut map);
    let _ = std::fs::remove_dir_all(&dir);
    let (catalog, warnings) = match loaded {
        Ok(ok) => ok,
        Err(diags) => panic!("imported framework does not load:\n{}", map.render(&diags)),
    };
    assert!(warnings.is_empty(), "{}", map.render(&warnings));
    let unreachable: Vec<&str> = ctrlmap::unreachable_obligations(&catalog)
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    assert!(unreachable.is_empty(), "unreachable: {unreachable:?}");
    (catalog, map)
}

/// Parses, closes and evaluates incident TOML against `catalog`.
fn evaluate_incident(
    catalog: &Catalog,
    graph: &CatalogGraph,
    name: &str,
    toml: String,
) -> Result<Vec<(String, String)>, String> {
    let mut map = SourceMap::new();
    let file = map.add(name, toml);
    let render = |map: &SourceMap, d: &[Diagnostic]| format!("{name}:\n{}", map.render(d));
    let incident = Incident::parse(file, &catalog.taxonomy, &map).map_err(|d| render(&map, &d))?;
    let values = FactValues::close(&catalog.taxonomy, &incident).map_err(|d| render(&map, &d))?;
    let exposure = evaluate(catalog, graph, &incident, &values, ScopeMode::Org).expect("in range");
    Ok(exposure
        .frameworks
        .iter()
        .flat_map(|f| f.controls.iter())
        .map(|c| (c.control.id.to_string(), c.status.as_str().to_owned()))
        .collect())
}

/// The real data beside the repository; a test that needs it fails without it.
fn shared_data() -> PathBuf {
    let dir = root().join("../shared/data");
    assert!(
        dir.is_dir(),
        "this test needs the real data in {}, which is absent; run the tests without --include-ignored",
        dir.display()
    );
    dir
}

#[test]
fn oscal_fixture() {
    let _guard = snapshot_settings().bind_to_scope();
    let toml = import_oscal(&fixture("catalog.json"), None, None).expect("imports");
    let (catalog, _) = load_with(&toml, "oscal-fixture");
    let fw = catalog.framework("example-security-catalog").expect("framework");
    assert_eq!(fw.controls().len(), 5);
    insta::assert_snapshot!(toml);
}

#[test]
fn oscal_fixture_with_mappings() {
    let _guard = snapshot_settings().bind_to_scope();
    let toml = import_oscal(
        &fixture("catalog.json"),
        Some(&fixture("attack-mappings.json")),
        Some("example"),
    )
    .expect("imports");
    let (catalog, _) = load_with(&toml, "oscal-fixture-mapped");
    let graph = CatalogGraph::build(&catalog);
    let incident = "id = \"t\"\ntitle = \"t\"\n[attack]\ntechniques = [\"T1199\"]\n".to_owned();
    let implicated = evaluate_incident(&catalog, &graph, "t.toml", incident).expect("evaluates");
    let ours: Vec<&str> = implicated
        .iter()
        .filter(|(id, _)| id.starts_with("example:"))
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(ours, ["example:ac-3"]);
    insta::assert_snapshot!(toml);
}

#[test]
fn oscal_errors() {
    let _guard = snapshot_settings().bind_to_scope();
    let mut out = String::new();
    for (catalog, mappings, id) in [
        ("bad.json", None, None),
        ("profile.json", None, None),
        ("catalog.json", Some("bad-mappings.json"), None),
        ("catalog.json", Some("bad.json"), None),
        ("catalog.json", None, Some("Not An Id")),
    ] {
        let err = import_oscal(&fixture(catalog), mappings.map(fixture).as_deref(), id).expect_err("fails");
        out.push_str(&err);
        out.push_str("---\n");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn oscal_output_is_deterministic() {
    let a = import_oscal(&fixture("catalog.json"), Some(&fixture("attack-mappings.json")), None);
    let b = import_oscal(&fixture("catalog.json"), Some(&fixture("attack-mappings.json")), None);
    assert_eq!(a, b);
}

#[test]
fn veris_mapped() {
    let _guard = snapshot_settings().bind_to_scope();
    let toml = import_veris(&fixture("veris-mapped.json")).expect("imports");
    let (catalog, _) = embedded();
    let graph = CatalogGraph::build(&catalog);
    evaluate_incident(&catalog, &graph, "veris-mapped.toml", toml.clone()).expect("evaluates");
    insta::assert_snapshot!(toml);
}

#[test]
fn veris_unknowns() {
    let _guard = snapshot_settings().bind_to_scope();
    let toml = import_veris(&fixture("veris-unknowns.json")).expect("imports");
    let (catalog, _) = embedded();
    let graph = CatalogGraph::build(&catalog);
    evaluate_incident(&catalog, &graph, "veris-unknowns.toml", toml.clone()).expect("evaluates");
    insta::assert_snapshot!(toml);
}

#[test]
fn veris_errors() {
    let _guard = snapshot_settings().bind_to_scope();
    let mut out = String::new();
    for name in ["veris-bad.json", "veris-array.json", "profile.json"] {
        out.push_str(&import_veris(&fixture(name)).expect_err("fails"));
        out.push_str("---\n");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn importers_never_panic_on_odd_json() {
    let (catalog, _) = embedded();
    let samples = [
        "",
        "null",
        "{}",
        "{\"catalog\": null}",
        "{\"catalog\": {\"metadata\": {\"title\": 5}}}",
        "{\"catalog\": {\"metadata\": {\"title\": \"t\"}, \"controls\": [{\"id\": \"\", \"title\": \"\"}]}}",
        "{\"action\": 5, \"actor\": [], \"victim\": {\"country\": 7, \"industry\": 52}, \"timeline\": {\"incident\": {\"year\": 99999}}}",
        "{\"attribute\": {\"confidentiality\": {\"data\": 3, \"data_total\": -1, \"state\": 2}}}",
        "{\"timeline\": {\"incident\": {\"year\": \"2020\", \"month\": \"13\", \"day\": 40}}}",
        "\"\u{e9}\u{e9}\"",
        "{\"mapping_objects\": []}",
    ];
    for text in samples {
        let mut map = SourceMap::new();
        let file = map.add("odd.json", text);
        let _ = ctrlmap::import_oscal(&map, file, Some(file), None, &catalog.taxonomy);
        if let Ok(toml) = ctrlmap::import_veris(&map, file, &catalog.taxonomy) {
            let graph = CatalogGraph::build(&catalog);
            evaluate_incident(&catalog, &graph, "odd.toml", toml).expect("evaluates");
        }
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn sp800_53_imports_and_checks() {
    let data = shared_data();
    let toml = import_oscal(&data.join("oscal/NIST_SP-800-53_rev5_catalog.json"), None, None).expect("imports");
    let (catalog, _) = load_with(&toml, "sp800-53");
    let fw = catalog.framework("nist-sp-800-53").expect("framework");
    assert_eq!(fw.controls().len(), 1189);
    let active = fw
        .controls()
        .iter()
        .filter(|c| c.status != ControlStatus::Withdrawn)
        .count();
    assert_eq!(active, 1007);
    assert!(fw.controls().iter().all(|c| c.source.starts_with("https://")));
}

#[test]
#[ignore = "needs ../shared/data"]
fn sp800_53_with_attack_mappings_implicates_mitigations() {
    let data = shared_data();
    let toml = import_oscal(
        &data.join("oscal/NIST_SP-800-53_rev5_catalog.json"),
        Some(&data.join("ctid/nist_800_53-rev5_attack-16.1-enterprise.json")),
        None,
    )
    .expect("imports");
    let (catalog, _) = load_with(&toml, "sp800-53-mapped");
    let fw = catalog.framework("nist-sp-800-53").expect("framework");
    let withdrawn = fw
        .controls()
        .iter()
        .filter(|c| c.status == ControlStatus::Withdrawn)
        .count();
    assert_eq!((fw.controls().len(), withdrawn), (1189, 182));
    let graph = CatalogGraph::build(&catalog);
    let flickr = std::fs::read_to_string(root().join("incidents/flickr-2026-02.toml")).expect("flickr");
    let implicated = evaluate_incident(&catalog, &graph, "flickr-2026-02.toml", flickr).expect("evaluates");
    let ours: Vec<&str> = implicated
        .iter()
        .filter(|(id, status)| id.starts_with("nist-sp-800-53:") && status == Status::Applies.as_str())
        .map(|(id, _)| id.trim_start_matches("nist-sp-800-53:"))
        .collect();
    for id in ["ac-3", "ac-4", "ac-6", "ac-8", "cm-6", "cm-7", "sc-7", "sc-46"] {
        assert!(ours.contains(&id), "{id} not implicated: {ours:?}");
    }
    // Only mapped controls: enhancements and unmapped controls stay out.
    assert!(!ours.contains(&"ac-2.1") && !ours.contains(&"pm-1"), "{ours:?}");
}

#[test]
#[ignore = "needs ../shared/data"]
fn every_vcdb_incident_imports_and_evaluates() {
    let data = shared_data();
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("vcdb"))
        .expect("vcdb")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 2000);
    let (catalog, _) = embedded();
    let graph = CatalogGraph::build(&catalog);
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, std::fs::read_to_string(p).expect("read"))
        })
        .collect();
    let start = Instant::now();
    let mut imported = Vec::with_capacity(texts.len());
    for (name, text) in &texts {
        let mut map = SourceMap::new();
        let file = map.add(name.as_str(), text.clone());
        let toml =
            ctrlmap::import_veris(&map, file, &catalog.taxonomy).unwrap_or_else(|d| panic!("{}", map.render(&d)));
        imported.push((name.replace(".json", ".toml"), toml));
    }
    let import_time = start.elapsed();
    let mut errors = Vec::new();
    for (name, toml) in imported {
        if let Err(e) = evaluate_incident(&catalog, &graph, &name, toml) {
            errors.push(e);
        }
    }
    assert!(errors.is_empty(), "{} failed, first:\n{}", errors.len(), errors[0]);
    assert!(import_time.as_secs() < 20, "importing took {import_time:?}");
    for (name, text) in &texts {
        let mut map = SourceMap::new();
        let file = map.add(name.as_str(), text.clone());
        assert_batch_reads_what_import_writes(&catalog, &mut map, file);
    }
}

/// What `batch` reads from a VERIS file (the incident, straight from the mapping) is
/// what `import veris` writes (as TOML, read back): the same statements from the same
/// fields, numbers, dates and words.
fn assert_batch_reads_what_import_writes(catalog: &Catalog, map: &mut SourceMap, file: FileId) {
    let name = map.name(file).to_owned();
    let direct =
        ctrlmap::veris_incident(map, file, &catalog.taxonomy).unwrap_or_else(|d| panic!("{name}: {}", map.render(&d)));
    let toml =
        ctrlmap::import_veris(map, file, &catalog.taxonomy).unwrap_or_else(|d| panic!("{name}: {}", map.render(&d)));
    let written = map.add(format!("{name}.toml"), toml);
    let read = Incident::parse(written, &catalog.taxonomy, map).unwrap_or_else(|d| panic!("{}", map.render(&d)));
    let said = |i: &Incident| {
        let statements: Vec<String> = i
            .statements
            .iter()
            .map(|s| format!("{:?} {:?} {}", s.fact, s.value, s.source.field()))
            .collect();
        let numbers: Vec<String> = i
            .numbers
            .iter()
            .map(|(name, n)| format!("{name} {:?} {}", n.value, n.source.field()))
            .collect();
        format!(
            "{} | {} | {:?} | {:?} | {:?} | {statements:?} | {numbers:?}",
            i.id, i.title, i.summary, i.organization, i.timeline
        )
    };
    assert_eq!(said(&direct), said(&read), "{name}");
}

#[test]
fn veris_batch_reads_what_import_writes() {
    let (catalog, mut map) = embedded();
    for name in [
        "veris-mapped.json",
        "veris-unknowns.json",
        "veris-fuzz-control-character.json",
    ] {
        let file = add(&mut map, &fixture(name));
        assert_batch_reads_what_import_writes(&catalog, &mut map, file);
    }
}

/// Nesting deeper than a JSON parser would recurse, inside values the importer reads
/// and values it skips, is read without a stack overflow.
#[test]
fn veris_deep_nesting_is_skipped_not_recursed() {
    let (catalog, _) = embedded();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = format!(
        r#"{{"action": {{"hacking": {{"variety": ["SQLi", {deep}]}}}}, "victim": {{"country": {deep}, "state": ["CA", {deep}]}}, "x": {deep}}}"#
    );
    let mut map = SourceMap::new();
    let file = map.add("deep.json", text);
    let toml = ctrlmap::import_veris(&map, file, &catalog.taxonomy).unwrap_or_else(|d| panic!("{}", map.render(&d)));
    assert!(toml.contains("vectors = [\"vulnerability-exploit\"]"), "{toml}");
}

/// Found by fuzzing: a control character in an unmapped VERIS value ended up in a TOML
/// comment of the imported incident, which then did not load. Whatever the input, what
/// the importer writes must load.
#[test]
fn veris_control_characters_never_break_the_output() {
    {
        let path = "tests/fixtures/import/veris-fuzz-control-character.json";
        let imported = crate::common::ctrlmap(&["import", "veris", path]);
        assert_eq!(imported.code, 0, "{}", imported.stderr);
        let dir = crate::common::tempdir("veris-control");
        let out = dir.join("imported.toml");
        std::fs::write(&out, &imported.stdout).expect("write");
        let report = crate::common::ctrlmap(&["report", out.to_str().expect("utf-8")]);
        assert_eq!(report.code, 0, "{}\n{}", report.stderr, imported.stdout);
        let _ = std::fs::remove_dir_all(dir);
    }
    let text = r#"{"victim": {"country": ["Unkno\u0001n", "US"], "state": "C\u001b[31mA"}, "action": {"hacking": {"variety": ["Use\u0000of stolen creds"], "vector": ["Web\u007fapplication"]}}, "actor": {"external": {"variety": ["Organized\u0085crime"]}}}"#;
    let dir = crate::common::tempdir("veris-control-inline");
    let input = dir.join("inline.json");
    std::fs::write(&input, text).expect("write");
    let imported = crate::common::ctrlmap(&["import", "veris", input.to_str().expect("utf-8")]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let out = dir.join("imported.toml");
    std::fs::write(&out, &imported.stdout).expect("write");
    let report = crate::common::ctrlmap(&["report", out.to_str().expect("utf-8")]);
    assert_eq!(report.code, 0, "{}\n{}", report.stderr, imported.stdout);
    let _ = std::fs::remove_dir_all(dir);
}

/// `batch` keeps the order of the files given, reports a bad file with its place and
/// skips it, and still runs the rest (on every core; the output must not show it).
#[test]
fn batch_reports_bad_files_and_runs_the_rest_in_order() {
    let files = [
        "incidents/us-retailer-card-vendor-2026.toml",
        "tests/hostile/incident/contradiction-implied.toml",
        "tests/fixtures/import/veris-mapped.json",
        "tests/fixtures/import/veris-bad.json",
        "incidents/flickr-2026-02.toml",
    ];
    for format in ["csv", "json"] {
        let mut args = vec!["batch", "--format", format];
        args.extend(files);
        let run = ctrlmap(&args);
        assert_eq!(run.code, 2, "{}", run.transcript());
        assert!(run.stderr.ends_with("error: 2 of 5 files skipped\n"), "{}", run.stderr);
        let retailer = run.stdout.find("us-retailer").expect("the retailer's row");
        let veris = run.stdout.find("veris-mapped").expect("the VERIS row");
        let flickr = run.stdout.find("flickr-2026-02").expect("Flickr's row");
        assert!(retailer < veris && veris < flickr, "{}", run.stdout);
        // The same again, byte for byte. (The rendering itself is a snapshot on the
        // fixture catalog, in tests/report.rs.)
        assert_eq!(ctrlmap(&args).transcript(), run.transcript());
    }
}

/// A key given twice in a part the importer reads is refused, at the second one: JSON
/// leaves its meaning open, and the importer used to let the last one win silently.
/// (No VCDB incident repeats a key.)
#[test]
fn veris_repeated_keys_are_refused() {
    let (catalog, _) = embedded();
    let mut map = SourceMap::new();
    let file = map.add(
        "dup.json",
        r#"{"victim": {"country": "US"}, "victim": {"country": "GB"}}"#,
    );
    let rendered = map.render(&ctrlmap::import_veris(&map, file, &catalog.taxonomy).expect_err("refused"));
    assert!(
        rendered.contains("the VERIS incident: duplicate field `victim`") && rendered.contains("dup.json:1:38"),
        "{rendered}"
    );
}
