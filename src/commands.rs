//! The subcommands, as functions from parsed arguments to an [`Output`]: what to print
//! on stdout and stderr and the exit code. Nothing here prints; `main` does.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::catalog::{self, Sources};
use crate::cli::{
    BatchArgs, BatchFormat, CatalogArgs, CheckArgs, Command, DraftArgs, ExplainArgs, Format, GraphArgs, GraphFormat,
    ImportCommand, ListArgs, ListWhat, MapArgs, NewArgs, ReportArgs, ReportFormat, Scope, ScopeArgs, VerifyArgs,
};
use crate::diag::{Code, Diagnostic, SourceMap, has_errors};
use crate::evaluate::{Exposure, ScopeMode, evaluate};
use crate::facts::FactValues;
use crate::graph::CatalogGraph;
use crate::incident::{Assumption, Incident};
use crate::manifest::Manifest;
use crate::model::Catalog;
use crate::read::{Links, MAX_FILE_BYTES, absent, read_limited};
use crate::report;
use crate::report::diagram::Diagram;
use crate::verify;
use crate::write::{write_all_atomic, write_atomic};

/// How a command ended, as the process's exit code (DESIGN §6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Exit {
    /// 0: the command did what was asked.
    #[default]
    Success,
    /// 1: `verify` found reports that differ from the stored ones.
    Differences,
    /// 2: bad input or usage; the reason is on stderr.
    BadInput,
}

impl Exit {
    /// The process exit code.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Differences => 1,
            Exit::BadInput => 2,
        }
    }
}

/// What a command produced.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Data.
    pub stdout: String,
    /// Diagnostics and messages.
    pub stderr: String,
    /// How it ended.
    pub exit: Exit,
}

impl Output {
    /// Success with data on stdout.
    fn text(stdout: String) -> Output {
        Output {
            stdout,
            ..Output::default()
        }
    }

    /// Exit 2 with a message that has no place in a file.
    fn error(stderr: String) -> Output {
        Output {
            stderr,
            exit: Exit::BadInput,
            ..Output::default()
        }
    }

    fn failure(map: &SourceMap, diags: &[Diagnostic]) -> Output {
        let mut stderr = map.render(diags);
        let errors = diags
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count();
        let _ = writeln!(
            stderr,
            "error: {errors} problem{} found",
            if errors == 1 { "" } else { "s" }
        );
        Output {
            stdout: String::new(),
            stderr,
            exit: Exit::BadInput,
        }
    }
}

/// Runs one command. Whatever it says on stderr (file names from the command line
/// included) reaches the terminal defused (`text::defuse`).
#[must_use]
pub fn run(command: Command) -> Output {
    let mut output = run_command(command);
    if let std::borrow::Cow::Owned(defused) = crate::text::defuse(&output.stderr) {
        output.stderr = defused;
    }
    output
}

fn run_command(command: Command) -> Output {
    match command {
        Command::Report(args) => report_cmd(&args),
        Command::Check(args) => check(&args),
        Command::List(args) => list(&args),
        Command::Verify(args) => verify_cmd(&args),
        Command::Explain(args) => explain_cmd(&args),
        Command::Map(args) => map_cmd(&args),
        Command::Graph(args) => graph_cmd(&args),
        Command::Batch(args) => batch_cmd(&args),
        Command::New(args) => new_cmd(&args),
        Command::Draft(args) => draft_cmd(&args),
        Command::Import(what) => import_cmd(&what),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(
                shell,
                &mut <crate::cli::Cli as clap::CommandFactory>::command(),
                "ctrlmap",
                &mut buf,
            );
            Output::text(String::from_utf8_lossy(&buf).into_owned())
        }
        Command::Man => {
            let mut buf = Vec::new();
            let page = clap_mangen::Man::new(<crate::cli::Cli as clap::CommandFactory>::command());
            match page.render(&mut buf) {
                Ok(()) => Output::text(String::from_utf8_lossy(&buf).into_owned()),
                Err(e) => Output::error(format!("error: cannot render the man page: {e}\n")),
            }
        }
    }
}

fn sources(args: &CatalogArgs) -> Sources {
    Sources {
        default_controls: !args.no_default_controls,
        dirs: args.controls.clone(),
        texts: Vec::new(),
    }
}

/// A fresh source map and the catalog the arguments name, or the output that says why
/// it could not be loaded.
fn open(args: &CatalogArgs) -> Result<(SourceMap, Catalog), Output> {
    let mut map = SourceMap::new();
    let catalog = load(args, &mut map)?;
    Ok((map, catalog))
}

fn load(args: &CatalogArgs, map: &mut SourceMap) -> Result<Catalog, Output> {
    match catalog::load(&sources(args), map) {
        Ok((catalog, _warnings)) => Ok(catalog),
        Err(diags) => Err(Output::failure(map, &diags)),
    }
}

/// An incident read, with its assumptions applied and its facts closed.
struct Loaded {
    incident: Incident,
    values: FactValues,
}

/// Reads an incident, applies `--assume` answers and closes its facts.
fn load_incident(
    catalog: &Catalog,
    map: &mut SourceMap,
    path: &Path,
    assume: &[String],
) -> Result<Loaded, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let assumptions: Vec<Assumption> = assume
        .iter()
        .filter_map(|a| Assumption::parse(a, &catalog.taxonomy).map_err(|d| diags.push(d)).ok())
        .collect();
    let mut incident = match Incident::load(path, &catalog.taxonomy, map) {
        Ok(i) => i,
        Err(mut more) => {
            diags.append(&mut more);
            return Err(diags);
        }
    };
    diags.extend(incident.unknown_done(catalog));
    if has_errors(&diags) {
        return Err(diags);
    }
    incident.assume(&assumptions);
    let values = FactValues::close(&catalog.taxonomy, &incident)?;
    Ok(Loaded { incident, values })
}

/// `--now TIME`, or `--now now` for this machine's clock.
fn parse_now(now: Option<&String>) -> Result<Option<Timestamp>, Diagnostic> {
    now.map(|t| {
        if t == "now" {
            return Ok(Timestamp::now());
        }
        t.parse::<Timestamp>().map_err(|e| {
            Diagnostic::error(
                Code::InvalidTime,
                format!("--now {t}: not an RFC 3339 time ({e}); `--now now` uses the clock"),
            )
        })
    })
    .transpose()
}

fn scope_mode(args: ScopeArgs) -> ScopeMode {
    match args.scope {
        Scope::Org => ScopeMode::Org,
        Scope::All => ScopeMode::All,
    }
}

/// Renders the report of one incident file, with its warnings.
fn render_report(
    catalog: &Catalog,
    graph: &CatalogGraph,
    map: &mut SourceMap,
    path: &Path,
    format: ReportFormat,
    scope: ScopeArgs,
    options: &report::Options,
) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let loaded = load_incident(catalog, map, path, &options.assumptions)?;
    let mut exposure =
        evaluate(catalog, graph, &loaded.incident, &loaded.values, scope_mode(scope)).map_err(|d| vec![d])?;
    let warnings = done_warnings(&exposure);
    if options.filtered() {
        exposure.retain(graph, |f| options.keeps(f));
    }
    let text = match format {
        ReportFormat::Markdown => report::markdown::render(&exposure, map, options),
        ReportFormat::Json => report::json::render(&exposure, map, options),
        ReportFormat::Ics => report::ics::render(&exposure, &path.display().to_string()),
    };
    Ok((text, warnings))
}

/// A warning for each `[[done]]` of an obligation the exposure does not list.
fn done_warnings(exposure: &Exposure<'_>) -> Vec<Diagnostic> {
    exposure
        .done_not_listed()
        .into_iter()
        .map(|d| {
            Diagnostic::warning(
                Code::DanglingReference,
                format!("done: `{}` does not apply under this report", d.obligation),
            )
            .at(d.loc.clone(), "recorded as done here")
            .note("help: check the id, or the facts that leave it out")
        })
        .collect()
}

fn write_output(path: &Path, text: &str) -> Output {
    match write_atomic(path, text.as_bytes()) {
        Ok(()) => Output::default(),
        Err(e) => Output::error(format!(
            "error: cannot write {}: {e}; nothing was written\n",
            path.display()
        )),
    }
}

fn report_cmd(args: &ReportArgs) -> Output {
    let (mut map, catalog) = match open(&args.catalog) {
        Ok(opened) => opened,
        Err(out) => return out,
    };
    let catalog = &catalog;
    let now = match parse_now(args.now.as_ref()) {
        Ok(now) => now,
        Err(d) => return Output::failure(&map, &[d]),
    };
    let graph = &CatalogGraph::build(catalog);
    let options = report::Options {
        now,
        now_from_clock: args.now.as_deref() == Some("now"),
        assumptions: args.eval.assume.clone(),
        kinds: args.kind.iter().map(|k| k.kind()).collect(),
        frameworks: args.frameworks.clone(),
    };
    for id in &args.frameworks {
        if catalog.framework(id).is_none() {
            let help = crate::diag::did_you_mean(id, catalog.frameworks().iter().map(|f| f.id.as_str()));
            let d = Diagnostic::error(
                Code::DanglingReference,
                format!(
                    "--framework {id}: no such framework in the catalog{}",
                    help.map(|h| format!("; did you mean `{h}`?")).unwrap_or_default()
                ),
            );
            return Output::failure(&map, &[d]);
        }
    }
    let (text, warnings) = match render_report(
        catalog,
        graph,
        &mut map,
        &args.incident,
        args.format,
        args.eval.scope,
        &options,
    ) {
        Ok(rendered) => rendered,
        Err(diags) => return Output::failure(&map, &diags),
    };
    let mut out = match &args.output {
        None => Output::text(text),
        Some(path) => match input_at(path, &args.incident, &args.catalog) {
            Some(input) => Output::error(format!(
                "error: --output {} is the input file {}; nothing was written\n",
                path.display(),
                input.display()
            )),
            None => write_output(path, &text),
        },
    };
    if !warnings.is_empty() {
        out.stderr.insert_str(0, &map.render(&warnings));
    }
    out
}

/// The input file (the incident, or a file of the catalogs) that `output` is, if any:
/// an output never replaces what it was made from.
fn input_at(output: &Path, incident: &Path, catalog: &CatalogArgs) -> Option<PathBuf> {
    input_among(output, std::slice::from_ref(&incident.to_path_buf()), catalog)
}

/// The input file among `incidents` and the catalogs' files that `output` is, if any.
fn input_among(output: &Path, incidents: &[PathBuf], catalog: &CatalogArgs) -> Option<PathBuf> {
    let mut inputs = incidents.to_vec();
    for c in &catalog.controls {
        if c.is_dir() {
            inputs.extend(catalog::toml_files(c).unwrap_or_default());
        } else {
            inputs.push(c.clone());
        }
    }
    inputs
        .into_iter()
        .find(|input| same_file::is_same_file(output, input).unwrap_or(false))
}

fn explain_cmd(args: &ExplainArgs) -> Output {
    let (mut map, catalog) = match open(&args.catalog) {
        Ok(opened) => opened,
        Err(out) => return out,
    };
    let catalog = &catalog;
    let id = args.id.clone();
    with_exposure(
        catalog,
        &mut map,
        &args.incident,
        &args.eval.assume,
        args.eval.scope,
        |exposure, map| match crate::explain::explain(exposure, map, &id) {
            Ok(text) => Output::text(text),
            Err(d) => Output::failure(map, &[d]),
        },
    )
}

fn map_cmd(args: &MapArgs) -> Output {
    let (map, catalog) = match open(&args.catalog) {
        Ok(opened) => opened,
        Err(out) => return out,
    };
    let catalog = &catalog;
    let graph = &CatalogGraph::build(catalog);
    match crate::map::map(catalog, graph, &args.id, args.to.as_deref()) {
        Ok(mappings) => Output::text(crate::map::render(&args.id, &mappings, args.to.as_deref())),
        Err(d) => Output::failure(&map, &[d]),
    }
}

/// Reads an incident (with its assumptions), evaluates it against the catalog and hands
/// the exposure to `then`; a bad incident is the output instead.
fn with_exposure(
    catalog: &Catalog,
    map: &mut SourceMap,
    incident: &Path,
    assume: &[String],
    scope: ScopeArgs,
    then: impl FnOnce(&Exposure<'_>, &SourceMap) -> Output,
) -> Output {
    let loaded = match load_incident(catalog, map, incident, assume) {
        Ok(l) => l,
        Err(diags) => return Output::failure(map, &diags),
    };
    let graph = &CatalogGraph::build(catalog);
    match evaluate(catalog, graph, &loaded.incident, &loaded.values, scope_mode(scope)) {
        Ok(exposure) => then(&exposure, map),
        Err(d) => Output::failure(map, &[d]),
    }
}

fn graph_cmd(args: &GraphArgs) -> Output {
    let (mut map, catalog) = match open(&args.catalog) {
        Ok(opened) => opened,
        Err(out) => return out,
    };
    let catalog = &catalog;
    let render = |diagram: &Diagram| {
        Output::text(match args.format {
            GraphFormat::Dot => diagram.dot(),
            GraphFormat::Mermaid => diagram.mermaid(),
        })
    };
    match &args.incident {
        None => render(&Diagram::of_catalog(&CatalogGraph::build(catalog))),
        Some(path) => with_exposure(
            catalog,
            &mut map,
            path,
            &args.eval.assume,
            args.eval.scope,
            |exposure, _| render(&Diagram::of_exposure(exposure)),
        ),
    }
}

/// Reads a VERIS JSON file straight into an incident, as `import veris` maps it.
fn load_any_incident(catalog: &Catalog, map: &mut SourceMap, path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    if path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json")) {
        let text = catalog::read_input(path).map_err(|d| vec![d])?;
        let file = map.add(path.display().to_string(), text);
        let incident = crate::import::veris::to_incident(map, file, &catalog.taxonomy)?;
        let values = FactValues::close(&catalog.taxonomy, &incident)?;
        Ok(Loaded { incident, values })
    } else {
        load_incident(catalog, map, path, &[])
    }
}

fn batch_cmd(args: &BatchArgs) -> Output {
    let (_, catalog) = match open(&args.catalog) {
        Ok(opened) => opened,
        Err(out) => return out,
    };
    let catalog = &catalog;
    let graph = &CatalogGraph::build(catalog);
    let scope = scope_mode(args.scope);
    // Folders stand for the incident files under them.
    let mut files = Vec::new();
    for path in &args.incidents {
        if path.is_dir() {
            match catalog::files_under(path, &["toml", "json"]) {
                Ok(found) => files.extend(found),
                Err(e) => {
                    return Output::error(format!("error: cannot read the folder {}: {e}\n", path.display()));
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    // Each file is read, imported, closed and evaluated on its own, on every core; the
    // results are gathered in the order the files were given.
    let results: Vec<Result<(crate::batch::Row, crate::batch::Summary), String>> = files
        .par_iter()
        .map(|path| {
            let mut map = SourceMap::new();
            let row = load_any_incident(catalog, &mut map, path).and_then(|loaded| {
                let exposure =
                    evaluate(catalog, graph, &loaded.incident, &loaded.values, scope).map_err(|d| vec![d])?;
                let mut counts = crate::batch::Summary::default();
                counts.add(&exposure);
                Ok((crate::batch::Row::of(&path.display().to_string(), &exposure), counts))
            });
            match row {
                Ok(row) => Ok(row),
                Err(diags) => Err(map.render(&diags)),
            }
        })
        .collect();
    let mut rows = Vec::new();
    let mut summary = crate::batch::Summary::default();
    let mut stderr = String::new();
    for result in results {
        match result {
            Ok((row, counts)) => {
                rows.push(row);
                summary.merge(counts);
            }
            Err(rendered) => {
                summary.skipped += 1;
                stderr.push_str(&rendered);
            }
        }
    }
    let stdout = match args.format {
        BatchFormat::Csv => crate::batch::csv(&rows),
        BatchFormat::Json => crate::batch::json(&rows, &summary),
    };
    if let Some(path) = &args.summary {
        if let Some(input) = input_among(path, &files, &args.catalog) {
            return Output::error(format!(
                "error: --summary {} is the input file {}; nothing was written\n",
                path.display(),
                input.display()
            ));
        }
        let written = write_output(path, &crate::batch::summary_csv(&summary));
        if written.exit != Exit::Success {
            return written;
        }
    }
    if summary.skipped > 0 {
        let _ = writeln!(stderr, "error: {} of {} files skipped", summary.skipped, files.len());
    }
    Output {
        stdout,
        stderr,
        exit: if summary.skipped > 0 {
            Exit::BadInput
        } else {
            Exit::Success
        },
    }
}

fn new_cmd(args: &NewArgs) -> Output {
    let (mut map, catalog) = match open(&args.catalog) {
        Ok(opened) => opened,
        Err(out) => return out,
    };
    if let Some(id) = args.id.as_deref().filter(|id| !crate::incident::valid_id(id)) {
        return Output::error(format!(
            "error: `{}` is not a valid incident id: 1 to {} letters, digits, `-`, `_` and `.`, e.g. `acme-2026-02`\n",
            crate::text::defuse(id),
            crate::incident::MAX_ID_CHARS
        ));
    }
    let text = match args.from.as_slice() {
        [] => crate::template::incident(&catalog, args.id.as_deref()),
        [format, path] if format == "veris" => {
            let path = Path::new(path);
            let file = match catalog::read_input(path) {
                Ok(text) => map.add(path.display().to_string(), text),
                Err(d) => return Output::failure(&map, &[d]),
            };
            match crate::import::veris::import(&map, file, &catalog.taxonomy) {
                Ok(imported) => format!(
                    "{imported}\n# The other keys an incident may give, from `ctrlmap new`:\n{}",
                    crate::template::commented(&crate::template::incident(&catalog, None))
                ),
                Err(diags) => return Output::failure(&map, &diags),
            }
        }
        [format, _] => {
            return Output::error(format!(
                "error: --from {format}: the one format `new` starts from is `veris`\n"
            ));
        }
        _ => {
            return Output::error("error: give --from once: `--from veris FILE`\n".to_owned());
        }
    };
    match &args.output {
        None => Output::text(text),
        Some(path) if path.exists() => Output::error(format!(
            "error: {} exists; `new` does not overwrite a file (remove it, or choose another name)\n",
            path.display()
        )),
        Some(path) => write_output(path, &text),
    }
}

fn import_cmd(what: &ImportCommand) -> Output {
    let mut map = SourceMap::new();
    let (path, catalog_args) = match what {
        ImportCommand::Oscal {
            catalog, catalog_args, ..
        } => (catalog, catalog_args),
        ImportCommand::Veris { incident, catalog_args } => (incident, catalog_args),
    };
    let catalog = match load(catalog_args, &mut map) {
        Ok(c) => c,
        Err(out) => return out,
    };
    let read = |map: &mut SourceMap, path: &Path| -> Result<crate::diag::FileId, Diagnostic> {
        let text = catalog::read_input(path)?;
        Ok(map.add(path.display().to_string(), text))
    };
    let file = match read(&mut map, path) {
        Ok(f) => f,
        Err(d) => return Output::failure(&map, &[d]),
    };
    let result = match what {
        ImportCommand::Oscal {
            attack_mappings, id, ..
        } => {
            let mappings = match attack_mappings.as_ref().map(|p| read(&mut map, p)).transpose() {
                Ok(m) => m,
                Err(d) => return Output::failure(&map, &[d]),
            };
            crate::import::oscal::import(&map, file, mappings, id.as_deref(), &catalog.taxonomy)
        }
        ImportCommand::Veris { .. } => crate::import::veris::import(&map, file, &catalog.taxonomy),
    };
    match result {
        Ok(text) => Output::text(text),
        Err(diags) => Output::failure(&map, &diags),
    }
}

fn draft_cmd(args: &DraftArgs) -> Output {
    let (mut map, catalog) = match open(&args.catalog) {
        Ok(opened) => opened,
        Err(out) => return out,
    };
    let catalog = &catalog;
    let known: Vec<&str> = catalog.obligations().map(|o| o.id.as_str()).collect();
    let unknown: Vec<Diagnostic> = args
        .ids
        .iter()
        .filter(|id| !known.contains(&id.as_str()))
        .map(|id| {
            let mut d = Diagnostic::error(
                Code::DanglingReference,
                format!("`{id}` is not an obligation of the catalog"),
            );
            if let Some(s) = crate::diag::did_you_mean(id, known.iter().copied()) {
                d = d.note(format!("help: did you mean `{s}`?"));
            }
            d
        })
        .collect();
    if !unknown.is_empty() {
        return Output::failure(&map, &unknown);
    }
    with_exposure(
        catalog,
        &mut map,
        &args.incident,
        &args.eval.assume,
        args.eval.scope,
        |exposure, _| write_drafts(args, exposure),
    )
}

/// The drafts of an exposure, on stdout or as files in `--output`.
fn write_drafts(args: &DraftArgs, exposure: &Exposure<'_>) -> Output {
    let drafts = crate::draft::drafts(exposure, &args.ids);
    let missing: Vec<&String> = args
        .ids
        .iter()
        .filter(|id| !drafts.iter().any(|d| &d.result.obligation.id == *id))
        .collect();
    let mut stderr = String::new();
    for id in missing {
        let item = crate::applicability::Item::find(exposure.catalog, id);
        let verdict = item.as_ref().map(|item| exposure.verdict(item));
        let why = match (item, verdict) {
            (Some(item), Some(v)) if v.gated.is_some() => format!(
                "its control `{}` is {}",
                item.control().map_or(id.as_str(), |c| c.id.as_str()),
                v.gated.map_or("", crate::model::ControlStatus::as_str)
            ),
            (_, Some(v)) if v.excluded_by_date().is_some() => v
                .excluded_by_date()
                .map(crate::applicability::InForceGate::words)
                .unwrap_or_default(),
            _ => "it does not apply to this incident".to_owned(),
        };
        let _ = writeln!(stderr, "note: no draft for {id}: {why} (see `ctrlmap explain`)");
    }
    let (extension, texts): (&str, Vec<(String, String)>) = match args.format {
        Format::Markdown => (
            "md",
            drafts
                .iter()
                .map(|d| (d.result.obligation.id.to_string(), crate::draft::markdown(exposure, d)))
                .collect(),
        ),
        Format::Json => (
            "json",
            vec![("drafts".to_owned(), crate::draft::json(exposure, &drafts))],
        ),
    };
    let Some(dir) = &args.output else {
        return Output {
            stdout: texts.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join("\n"),
            stderr,
            exit: Exit::Success,
        };
    };
    let files: Vec<(String, PathBuf, String)> = texts
        .into_iter()
        .map(|(id, text)| {
            let path = dir.join(crate::draft::file_name(&id, extension));
            (id, path, text)
        })
        .collect();
    match check_drafts(dir, &files, args.force) {
        Ok(mut manifest) => {
            if let Err((path, e)) = write_all_atomic(files.iter().map(|(_, p, t)| (p.as_path(), t.as_bytes()))) {
                return Output::error(format!(
                    "error: cannot write {}: {e}; nothing was written\n",
                    path.display()
                ));
            }
            for (_, path, text) in &files {
                if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                    manifest.record(name, text.as_bytes());
                }
                let _ = writeln!(stderr, "wrote {}", path.display());
            }
            if let Err(e) = manifest.write(dir) {
                let _ = writeln!(stderr, "error: cannot write the manifest of {}: {e}", dir.display());
                return Output::error(stderr);
            }
            Output {
                stderr,
                ..Output::default()
            }
        }
        Err(problems) => {
            for p in problems {
                let _ = writeln!(stderr, "error: {p}");
            }
            let _ = writeln!(stderr, "error: nothing was written");
            Output::error(stderr)
        }
    }
}

/// Whether every draft can be written to its file: no two drafts share a file name
/// (compared without case, as macOS and Windows do), and no file would be replaced
/// that does not hold what ctrlmap wrote there last (unless `force`). Creates the
/// folder and returns its manifest; otherwise every problem.
fn check_drafts(dir: &Path, files: &[(String, PathBuf, String)], force: bool) -> Result<Manifest, Vec<String>> {
    let mut problems = Vec::new();
    let mut names: BTreeMap<String, (&str, &Path)> = BTreeMap::new();
    for (id, path, _) in files {
        let folded = path.to_string_lossy().to_lowercase();
        if let Some((other, other_path)) = names.get(&folded) {
            problems.push(if path == other_path {
                format!("`{other}` and `{id}` would both be written to {}", path.display())
            } else {
                format!(
                    "`{other}` and `{id}` would be written to {} and {}, one file where case is ignored (macOS, Windows)",
                    other_path.display(),
                    path.display()
                )
            });
        } else {
            names.insert(folded, (id, path));
        }
    }
    if !problems.is_empty() {
        problems.push("draft these obligations one at a time, into different folders".to_owned());
        return Err(problems);
    }
    std::fs::create_dir_all(dir).map_err(|e| vec![format!("cannot create {}: {e}", dir.display())])?;
    let manifest = Manifest::read(dir).map_err(|d| vec![d.message])?;
    for (_, path, text) in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        match absent(path) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(d) => {
                problems.push(d.message);
                continue;
            }
        }
        if force {
            continue;
        }
        match read_limited(path, MAX_FILE_BYTES, Links::Refuse) {
            Ok(bytes) if bytes == text.as_bytes() || manifest.wrote(name, &bytes) => {}
            Ok(_) => problems.push(format!(
                "{} is not what ctrlmap wrote there last (edited since, or not a draft of ctrlmap's); --force replaces it",
                path.display()
            )),
            Err(d) => problems.push(d.message),
        }
    }
    if problems.is_empty() {
        Ok(manifest)
    } else {
        Err(problems)
    }
}

fn verify_cmd(args: &VerifyArgs) -> Output {
    let (mut map, catalog) = match open(&args.catalog) {
        Ok(opened) => opened,
        Err(out) => return out,
    };
    let catalog = &catalog;
    let graph = &CatalogGraph::build(catalog);
    let scenarios = match verify::scenarios(&args.scenarios) {
        Ok(s) => s,
        Err(diags) => return Output::failure(&map, &diags),
    };
    if let Err(d) = verify::check_folders(&args.scenarios, &args.snapshots) {
        return Output::failure(&map, &[d]);
    }
    let options = report::Options::default();
    let mut rendered = BTreeMap::new();
    let mut diags = Vec::new();
    for path in &scenarios {
        match render_report(catalog, graph, &mut map, path, args.format.into(), args.scope, &options) {
            // Warnings are in the rendered report too, which is what verify compares.
            Ok((text, _warnings)) => {
                rendered.insert(path.clone(), text);
            }
            Err(mut more) => diags.append(&mut more),
        }
    }
    if !diags.is_empty() {
        return Output::failure(&map, &diags);
    }
    let extension = match args.format {
        Format::Markdown => "md",
        Format::Json => "json",
    };
    let comparison = match verify::compare(&rendered, &args.snapshots, extension) {
        Ok(c) => c,
        Err(d) => return Output::failure(&map, &[d]),
    };
    if args.accept {
        if let Err(d) = comparison.accept(&rendered, &args.snapshots, extension) {
            return Output::failure(&map, &[d]);
        }
    }
    Output {
        stdout: comparison.describe(&args.snapshots, args.accept),
        stderr: String::new(),
        exit: if !args.accept && !comparison.clean() {
            Exit::Differences
        } else {
            Exit::Success
        },
    }
}

fn check(args: &CheckArgs) -> Output {
    let mut map = SourceMap::new();
    match catalog::load(&sources(&args.catalog), &mut map) {
        Ok((catalog, mut warnings)) => {
            // Incidents given too: every problem of each, and its stray `[[done]]`s.
            let mut errors = Vec::new();
            if !args.incidents.is_empty() {
                let graph = CatalogGraph::build(&catalog);
                for path in &args.incidents {
                    match load_incident(&catalog, &mut map, path, &[]) {
                        Ok(loaded) => {
                            match evaluate(&catalog, &graph, &loaded.incident, &loaded.values, ScopeMode::Org) {
                                Ok(exposure) => warnings.extend(done_warnings(&exposure)),
                                Err(d) => errors.push(d),
                            }
                        }
                        Err(diags) => errors.extend(diags),
                    }
                }
            }
            if !errors.is_empty() {
                errors.extend(warnings);
                return Output::failure(&map, &errors);
            }
            for o in crate::reach::unreachable_obligations(&catalog) {
                warnings.push(
                    Diagnostic::warning(
                        Code::UnreachableObligation,
                        format!(
                            "no incident can make `{}` apply: its conditions contradict each other",
                            o.id
                        ),
                    )
                    .at(o.loc.clone(), "this obligation")
                    .note("help: compare the framework's scope with the control's and the obligation's `when`"),
                );
            }
            let controls = catalog.controls().count();
            let obligations = catalog.obligations().count();
            let stdout = format!(
                "ok: {} frameworks, {controls} controls, {obligations} obligations, {} facts ({}){}{}\n",
                catalog.frameworks.len(),
                catalog.taxonomy.facts().len(),
                catalog.origin,
                match args.incidents.len() {
                    0 => String::new(),
                    1 => ", 1 incident".to_owned(),
                    n => format!(", {n} incidents"),
                },
                match warnings.len() {
                    0 => String::new(),
                    1 => ", 1 warning".to_owned(),
                    n => format!(", {n} warnings"),
                }
            );
            let stderr = map.render(&warnings);
            // The process exits right after `check`: freeing a catalog of 100,000
            // controls item by item took a tenth of `check`'s time, for memory the
            // operating system takes back at exit anyway.
            std::mem::forget(catalog);
            Output {
                stdout,
                stderr,
                exit: Exit::Success,
            }
        }
        Err(diags) => Output::failure(&map, &diags),
    }
}

fn list(args: &ListArgs) -> Output {
    let (_, catalog) = match open(&args.catalog) {
        Ok(opened) => opened,
        Err(out) => return out,
    };
    let catalog = &catalog;
    let mut out = String::new();
    match args.what {
        ListWhat::Frameworks => {
            for f in &catalog.frameworks {
                let _ = writeln!(out, "{}\t{}\t{}", f.id, f.kind.as_str(), f.title);
            }
        }
        ListWhat::Controls => {
            for c in catalog.controls() {
                let _ = writeln!(out, "{}\t{}", c.id, c.title);
                for o in &c.obligations {
                    let _ = writeln!(
                        out,
                        "{}\t{}: {}",
                        o.id,
                        o.kind.as_str(),
                        o.title.as_deref().unwrap_or(&o.action)
                    );
                }
            }
        }
        ListWhat::Calendars => {
            for c in catalog.calendars() {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}-{}\t{}",
                    c.id,
                    c.time_zone,
                    c.place.as_deref().unwrap_or("-"),
                    c.years.0,
                    c.years.1,
                    c.title
                );
            }
        }
        ListWhat::Facts => {
            let tax = &catalog.taxonomy;
            for f in tax.facts() {
                let world = match f.world {
                    crate::taxonomy::World::Closed => "closed",
                    crate::taxonomy::World::Open => "open",
                };
                let implies: Vec<&str> = f.implies.iter().map(|i| tax.fact(*i).key.as_str()).collect();
                let _ = write!(out, "{}\t{world}\t{}", f.key, f.title);
                if !implies.is_empty() {
                    let _ = write!(out, "\timplies {}", implies.join(", "));
                }
                out.push('\n');
            }
            for n in tax.numbers() {
                let _ = writeln!(
                    out,
                    "{}\tnumber\t{} (also per residency: {}:US-CA)",
                    n.name, n.title, n.name
                );
            }
        }
    }
    Output::text(out)
}
