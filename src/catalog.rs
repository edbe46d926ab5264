//! Loading a catalog: read the TOML files of each layer, deserialize them into `spec`
//! types, and validate them into the `model`, collecting every problem as a diagnostic.
//!
//! Layers are the embedded default catalog (unless turned off) and each `--controls`
//! folder, in order. A later layer's framework replaces one with the same id; its facts
//! extend the taxonomy (or replace a fact with the same key). Within one layer, a
//! duplicate is an error that names both places. Nothing stops at the first problem:
//! the result is `Err` with all diagnostics when any is an error.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use crate::deadline::{Alternative, Deadline, Start, TimelineKey, Within};
use crate::diag::{Code, Diagnostic, FileId, Loc, SourceMap, did_you_mean, has_errors};
use crate::model::{Catalog, Content, Control, Framework, Obligation, Related};
use crate::rule::Rule;
use crate::spec::{self, CatalogFileSpec, ControlSpec, FactSpec, Spanned, World};
use crate::taxonomy::{Fact, FactId, Kind, NumberDef, Taxonomy};

/// Input files larger than this are refused, so a stray file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// A catalog folder may hold at most this many files.
pub const MAX_FILES: usize = 10_000;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Which catalogs to load.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Load the embedded default catalog first.
    pub default_controls: bool,
    /// Folders (or single files) loaded on top, in order.
    pub dirs: Vec<PathBuf>,
    /// Files given as text (name, contents), loaded last as one layer; for embedding
    /// ctrlmap and for fuzzing.
    pub texts: Vec<(String, String)>,
}

impl Sources {
    /// The embedded catalog only.
    #[must_use]
    pub fn embedded() -> Sources {
        Sources {
            default_controls: true,
            dirs: Vec::new(),
            texts: Vec::new(),
        }
    }
}

/// Loads and validates a catalog. Warnings come back with `Ok`.
pub fn load(sources: &Sources, map: &mut SourceMap) -> Result<(Catalog, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut origin = Vec::new();
    let mut pending: Vec<(usize, FileId)> = Vec::new();
    if sources.default_controls {
        origin.push("embedded".to_owned());
        for (name, text) in embedded::FILES {
            pending.push((0, map.add(*name, *text)));
        }
    }
    for (i, dir) in sources.dirs.iter().enumerate() {
        origin.push(dir.display().to_string());
        for (path, text) in read_dir(dir, &mut diags) {
            pending.push((i + 1, map.add(path.display().to_string(), text)));
        }
    }
    for (name, text) in &sources.texts {
        pending.push((sources.dirs.len() + 1, map.add(name.clone(), text.clone())));
    }
    let mut files: Vec<(usize, FileId, CatalogFileSpec)> = Vec::new();
    for ((layer, file), parsed) in pending.iter().zip(parse_all(&pending, map)) {
        match parsed {
            Ok(spec) => files.push((*layer, *file, spec)),
            Err(d) => diags.push(d),
        }
    }
    let origin = if origin.is_empty() {
        "empty".to_owned()
    } else {
        origin.join(", ")
    };
    let taxonomy = build_taxonomy(&mut files, map, &mut diags);
    let frameworks = build_frameworks(files, &taxonomy, map, &mut diags);
    check_deadline_cycles(&frameworks, map, &mut diags);
    if has_errors(&diags) {
        return Err(diags);
    }
    Ok((
        Catalog {
            taxonomy,
            frameworks,
            origin,
        },
        diags,
    ))
}

/// Reads a file for any stage, refusing oversized ones.
pub fn read_input(path: &Path) -> Result<String, Diagnostic> {
    let io = |e: std::io::Error| Diagnostic::error(Code::Io, format!("cannot read {}: {e}", path.display()));
    let meta = fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            Code::TooLarge,
            format!(
                "{} is {} bytes; ctrlmap reads files of at most {MAX_FILE_BYTES} bytes",
                path.display(),
                meta.len()
            ),
        ));
    }
    let bytes = fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            Code::Io,
            format!(
                "{} is not UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn read_dir(dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(PathBuf, String)> {
    if dir.is_file() {
        return match read_input(dir) {
            Ok(text) => vec![(dir.to_path_buf(), text)],
            Err(d) => {
                diags.push(d);
                Vec::new()
            }
        };
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(Diagnostic::error(
                Code::Io,
                format!("cannot read catalog folder {}: {e}", dir.display()),
            ));
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    if paths.len() > MAX_FILES {
        diags.push(Diagnostic::error(
            Code::TooLarge,
            format!(
                "catalog folder {} has {} files; ctrlmap reads at most {MAX_FILES}",
                dir.display(),
                paths.len()
            ),
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for path in paths {
        match read_input(&path) {
            Ok(text) => out.push((path, text)),
            Err(d) => diags.push(d),
        }
    }
    out
}

/// Parses every file, on as many threads as there are cores: TOML parsing is most of
/// the time of loading a catalog. Results come back in the order of `files`.
fn parse_all(files: &[(usize, FileId)], map: &SourceMap) -> Vec<Result<CatalogFileSpec, Diagnostic>> {
    let parse = |file: FileId| {
        let mut diags = Vec::new();
        toml_diag(toml::from_str::<CatalogFileSpec>(map.text(file)), file, &mut diags).ok_or_else(|| {
            diags
                .pop()
                .unwrap_or_else(|| Diagnostic::error(Code::TomlSyntax, "unreadable catalog file"))
        })
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len())
        .max(1);
    if threads == 1 {
        return files.iter().map(|(_, f)| parse(*f)).collect();
    }
    // Interleave files over the threads so that large and small files spread evenly.
    let mut out: Vec<Option<Result<CatalogFileSpec, Diagnostic>>> = (0..files.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let parse = &parse;
                scope.spawn(move || {
                    files
                        .iter()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .map(|(i, (_, f))| (i, parse(*f)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            // A panic in a parser thread would be a bug of ours; surface it as one.
            for (i, result) in handle.join().unwrap_or_default() {
                out[i] = Some(result);
            }
        }
    });
    out.into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(Diagnostic::error(
                    Code::TomlSyntax,
                    "a catalog file could not be parsed",
                ))
            })
        })
        .collect()
}

/// Turns a TOML or shape error into a diagnostic at its position.
pub(crate) fn toml_diag<T>(result: Result<T, toml::de::Error>, file: FileId, diags: &mut Vec<Diagnostic>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            diags.push(
                Diagnostic::error(Code::TomlSyntax, e.message().trim_end_matches('\n').to_owned())
                    .at(Loc::new(file, span), ""),
            );
            None
        }
    }
}

/// The location of the text of a string value inside its TOML quotes, when the value
/// is written without escapes; otherwise the whole string token.
fn inner_loc(map: &SourceMap, file: FileId, s: &Spanned<String>, range: std::ops::Range<usize>) -> Loc {
    let span = s.span();
    let raw = map.text(file).get(span.clone()).unwrap_or("");
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(mut body) = raw.strip_prefix(quote) {
            let mut offset = quote.len();
            if quote.len() == 3 {
                if let Some(rest) = body.strip_prefix("\r\n").or_else(|| body.strip_prefix('\n')) {
                    offset += body.len() - rest.len();
                    body = rest;
                }
            }
            if body.starts_with(s.get_ref().as_str()) {
                let start = span.start + offset;
                return Loc::new(file, start + range.start..start + range.end);
            }
        }
    }
    Loc::new(file, span)
}

fn loc_of<T>(file: FileId, s: &Spanned<T>) -> Loc {
    Loc::new(file, s.span())
}

/// Parses a rule string, turning errors into diagnostics inside the string.
fn parse_rule(
    s: &Spanned<String>,
    file: FileId,
    taxonomy: &Taxonomy,
    map: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    match Rule::parse(s.get_ref(), taxonomy) {
        Ok(rule) => Some(rule),
        Err(errors) => {
            for e in errors {
                let mut d = Diagnostic::error(e.code, e.message).at(inner_loc(map, file, s, e.span), "");
                if let Some(help) = e.help {
                    d = d.note(format!("help: {help}"));
                }
                diags.push(d);
            }
            None
        }
    }
}

/// An id, value or fact name: ASCII letters, digits, `-`, `_` and `.`.
pub(crate) fn valid_value(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A framework id: a valid value starting with a lowercase letter or digit.
pub(crate) fn valid_framework_id(s: &str) -> bool {
    valid_value(s) && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
}

// ---------------------------------------------------------------------------
// Taxonomy

/// A kind as declared across files: its title (with the layer and place that gave it),
/// its world, and where it was first named.
type KindDecl = (Option<(String, usize, Loc)>, Option<World>, Loc);

struct FactDecl {
    layer: usize,
    file: FileId,
    kind: String,
    value: Spanned<String>,
    spec: FactSpec,
}

fn build_taxonomy(
    files: &mut [(usize, FileId, CatalogFileSpec)],
    map: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Taxonomy {
    let mut kinds: BTreeMap<String, KindDecl> = BTreeMap::new();
    let mut facts: BTreeMap<String, FactDecl> = BTreeMap::new();
    let mut numbers = BTreeMap::new();
    for (layer, file, spec) in files.iter_mut() {
        let (layer, file) = (*layer, *file);
        for (name, kind) in spec.kind.take().unwrap_or_default() {
            let loc = loc_of(file, &name);
            if !valid_framework_id(name.get_ref()) {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidId,
                        format!("`{}` is not a valid kind name", name.get_ref()),
                    )
                    .at(loc.clone(), "lowercase letters, digits and `-`"),
                );
            }
            let entry = kinds.entry(name.get_ref().clone()).or_insert((None, None, loc.clone()));
            if let Some(title) = kind.title {
                if let Some((_, prev_layer, prev_loc)) = &entry.0 {
                    if *prev_layer == layer {
                        diags.push(
                            Diagnostic::error(
                                Code::DuplicateId,
                                format!("kind `{}` is declared twice", name.get_ref()),
                            )
                            .at(loc.clone(), "declared again here")
                            .also(prev_loc.clone(), "first declared here"),
                        );
                    }
                }
                entry.0 = Some((title.into_inner(), layer, loc.clone()));
            }
            if let Some(world) = kind.world {
                entry.1 = Some(world.into_inner());
            }
            for (value, fact) in kind.facts.unwrap_or_default() {
                let key = format!("{}:{}", name.get_ref(), value.get_ref());
                if !valid_value(value.get_ref()) {
                    diags.push(
                        Diagnostic::error(Code::InvalidId, format!("`{key}` is not a valid fact"))
                            .at(loc_of(file, &value), "letters, digits, `-`, `_` and `.` only"),
                    );
                    continue;
                }
                if let Some(prev) = facts.get(&key) {
                    if prev.layer == layer {
                        diags.push(
                            Diagnostic::error(Code::DuplicateFact, format!("fact `{key}` is declared twice"))
                                .at(loc_of(file, &value), "declared again here")
                                .also(loc_of(prev.file, &prev.value), "first declared here"),
                        );
                        continue;
                    }
                }
                facts.insert(
                    key,
                    FactDecl {
                        layer,
                        file,
                        kind: name.get_ref().clone(),
                        value,
                        spec: fact,
                    },
                );
            }
        }
        for (name, number) in spec.numbers.take().unwrap_or_default() {
            numbers.insert(
                name.get_ref().clone(),
                NumberDef {
                    name: name.into_inner(),
                    title: number.title,
                    question: number.question,
                },
            );
        }
    }
    let mut kind_map = BTreeMap::new();
    for (name, (title, world, loc)) in kinds {
        let Some((title, _, _)) = title else {
            diags.push(
                Diagnostic::error(Code::MissingTitle, format!("kind `{name}` has no title"))
                    .at(loc, "add `title = \"...\"` in one of the taxonomy files"),
            );
            continue;
        };
        let world = world.unwrap_or(World::Closed);
        kind_map.insert(name.clone(), Kind { name, title, world });
    }
    // Number the facts in key order, then resolve `implies` against that numbering.
    let shell = Taxonomy::new(
        kind_map.clone(),
        facts
            .iter()
            .map(|(key, d)| Fact {
                key: key.clone(),
                kind: d.kind.clone(),
                value: d.value.get_ref().clone(),
                title: String::new(),
                question: None,
                world: World::Closed,
                implies: Vec::new(),
                implied_by: Vec::new(),
                loc: None,
            })
            .collect(),
        BTreeMap::new(),
    );
    let mut out = Vec::with_capacity(facts.len());
    for (key, d) in &facts {
        let kind_world = kind_map.get(&d.kind).map_or(World::Closed, |k| k.world);
        let mut implies = Vec::new();
        for target in &d.spec.implies {
            let loc = loc_of(d.file, target);
            let Some((kind, value)) = target.get_ref().split_once(':') else {
                diags.push(
                    Diagnostic::error(
                        Code::UnknownFact,
                        format!("`{}` is not a fact: write `kind:value`", target.get_ref()),
                    )
                    .at(loc, ""),
                );
                continue;
            };
            match crate::rule::Vocabulary::resolve_fact(&shell, kind, value) {
                Ok(id) => implies.push(id),
                Err(u) => {
                    let mut diag = Diagnostic::error(u.code, u.message).at(loc, "");
                    if let Some(help) = u.help {
                        diag = diag.note(format!("help: {help}"));
                    }
                    diags.push(diag);
                }
            }
        }
        implies.sort();
        implies.dedup();
        out.push(Fact {
            key: key.clone(),
            kind: d.kind.clone(),
            value: d.value.get_ref().clone(),
            title: d.spec.title.get_ref().clone(),
            question: d.spec.question.clone(),
            world: d.spec.world.as_ref().map_or(kind_world, |w| *w.get_ref()),
            implies,
            implied_by: Vec::new(),
            loc: Some(loc_of(d.file, &d.value)),
        });
        if !kind_map.contains_key(&d.kind)
            && !diags
                .iter()
                .any(|x| x.code == Code::MissingTitle && x.message.contains(&format!("`{}`", d.kind)))
        {
            diags.push(
                Diagnostic::error(Code::UnknownKind, format!("kind `{}` is not declared", d.kind))
                    .at(loc_of(d.file, &d.value), ""),
            );
        }
    }
    let taxonomy = Taxonomy::new(kind_map, out, numbers);
    check_implies_cycles(&taxonomy, map, diags);
    taxonomy
}

fn check_implies_cycles(taxonomy: &Taxonomy, _map: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let mut graph = DiGraph::<FactId, ()>::new();
    let nodes: Vec<_> = (0..taxonomy.facts().len())
        .map(|i| graph.add_node(FactId::from_index(i)))
        .collect();
    for (i, f) in taxonomy.facts().iter().enumerate() {
        for t in &f.implies {
            graph.add_edge(nodes[i], nodes[t.index()], ());
        }
    }
    let mut cycles: Vec<Vec<FactId>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| scc.len() > 1 || graph.contains_edge(scc[0], scc[0]))
        .map(|scc| {
            let mut ids: Vec<FactId> = scc.into_iter().map(|n| graph[n]).collect();
            ids.sort();
            ids
        })
        .collect();
    cycles.sort();
    for cycle in cycles {
        let names: Vec<&str> = cycle.iter().map(|f| taxonomy.fact(*f).key.as_str()).collect();
        let mut d = Diagnostic::error(
            Code::ImpliesCycle,
            format!("facts imply each other in a cycle: {}", names.join(", ")),
        );
        for (n, f) in cycle.iter().enumerate() {
            if let Some(loc) = &taxonomy.fact(*f).loc {
                d = if n == 0 {
                    d.at(loc.clone(), "in the cycle")
                } else {
                    d.also(loc.clone(), "in the cycle")
                };
            }
        }
        diags.push(d.note("help: `implies` must go from the specific to the general; remove one of these edges"));
    }
}

// ---------------------------------------------------------------------------
// Frameworks

struct Pending {
    file: FileId,
    spec: Spanned<spec::FrameworkSpec>,
    controls: Vec<ControlSpec>,
}

fn build_frameworks(
    files: Vec<(usize, FileId, CatalogFileSpec)>,
    taxonomy: &Taxonomy,
    map: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Framework> {
    // Later layers replace earlier ones; a duplicate within a layer is an error.
    let mut chosen: BTreeMap<String, (usize, Pending)> = BTreeMap::new();
    for (layer, file, spec) in files {
        let Some(framework) = spec.framework else {
            if let Some(first) = spec.control.as_ref().and_then(|c| c.first()) {
                diags.push(
                    Diagnostic::error(Code::NotAFramework, "controls without a `[framework]` table")
                        .at(loc_of(file, &first.id), "this control belongs to no framework"),
                );
            }
            continue;
        };
        let id = framework.get_ref().id.get_ref().clone();
        if let Some((prev_layer, prev)) = chosen.get(&id) {
            if *prev_layer == layer {
                diags.push(
                    Diagnostic::error(Code::DuplicateId, format!("framework `{id}` is defined twice"))
                        .at(loc_of(file, &framework.get_ref().id), "defined again here")
                        .also(loc_of(prev.file, &prev.spec.get_ref().id), "first defined here"),
                );
                continue;
            }
        }
        chosen.insert(
            id,
            (
                layer,
                Pending {
                    file,
                    spec: framework,
                    controls: spec.control.unwrap_or_default(),
                },
            ),
        );
    }
    let mut frameworks: Vec<Framework> = chosen
        .into_values()
        .map(|(_, p)| validate_framework(p, taxonomy, map, diags))
        .collect();
    check_references(&mut frameworks, map, diags);
    frameworks
}

fn check_url(file: FileId, s: &Spanned<String>, diags: &mut Vec<Diagnostic>) {
    let url = s.get_ref();
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`source` must be an http(s) URL, not `{url}`"),
            )
            .at(loc_of(file, s), ""),
        );
    }
}

fn validate_framework(p: Pending, taxonomy: &Taxonomy, map: &SourceMap, diags: &mut Vec<Diagnostic>) -> Framework {
    let file = p.file;
    let fw_loc = Loc::new(file, p.spec.span());
    let spec = p.spec.into_inner();
    let fw_id = spec.id.get_ref().clone();
    if !valid_framework_id(&fw_id) {
        diags.push(
            Diagnostic::error(Code::InvalidId, format!("`{fw_id}` is not a valid framework id")).at(
                loc_of(file, &spec.id),
                "lowercase letters, digits, `-`, `_` and `.` only",
            ),
        );
    }
    check_url(file, &spec.source, diags);
    let scope = spec
        .scope
        .as_ref()
        .and_then(|s| parse_rule(s, file, taxonomy, map, diags));
    // Controls and obligations share one namespace per framework.
    let mut seen: HashMap<String, Loc> = HashMap::new();
    let mut claim = |id: &Spanned<String>, diags: &mut Vec<Diagnostic>| -> bool {
        let loc = loc_of(file, id);
        if !valid_value(id.get_ref()) {
            diags.push(
                Diagnostic::error(Code::InvalidId, format!("`{}` is not a valid id", id.get_ref()))
                    .at(loc, "letters, digits, `-`, `_` and `.` only"),
            );
            return false;
        }
        if let Some(prev) = seen.get(id.get_ref()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("`{fw_id}:{}` is defined twice", id.get_ref()),
                )
                .at(loc, "defined again here")
                .also(prev.clone(), "first defined here"),
            );
            return false;
        }
        seen.insert(id.get_ref().clone(), loc);
        true
    };
    let mut controls = Vec::new();
    for c in p.controls {
        if !claim(&c.id, diags) {
            continue;
        }
        check_url(file, &c.source, diags);
        let when = c.when.as_ref().and_then(|s| parse_rule(s, file, taxonomy, map, diags));
        let related = c
            .related
            .iter()
            .map(|r| Related {
                to: r.to.get_ref().clone(),
                relation: r.relation,
                rationale: r.rationale.clone(),
                confidence: r.confidence,
                loc: loc_of(file, &r.to),
            })
            .collect();
        let mut obligations = Vec::new();
        for o in c.obligation {
            if !claim(&o.id, diags) {
                continue;
            }
            if let Some(src) = &o.source {
                check_url(file, src, diags);
            }
            if o.kind.get_ref() == &spec::ObligationKind::Notify && o.notify.is_none() {
                diags.push(
                    Diagnostic::error(
                        Code::MissingField,
                        format!("notify obligation `{fw_id}:{}` names no recipient", o.id.get_ref()),
                    )
                    .at(loc_of(file, &o.kind), "add `notify = \"...\"`"),
                );
            }
            let ob_when = o.when.as_ref().and_then(|s| parse_rule(s, file, taxonomy, map, diags));
            let content = validate_content(&o, &fw_id, file, diags);
            let deadline = o.deadline.as_ref().and_then(|d| parse_deadline(d, file, diags));
            obligations.push(Obligation {
                id: format!("{fw_id}:{}", o.id.get_ref()),
                title: o.title,
                kind: o.kind.into_inner(),
                action: o.action,
                when: ob_when,
                deadline,
                notify: o.notify,
                evidence: o.evidence,
                same_as: o.same_as.iter().map(|s| s.get_ref().clone()).collect(),
                same_as_locs: o.same_as.iter().map(|s| loc_of(file, s)).collect(),
                deadline_loc: o.deadline.as_ref().map(|d| loc_of(file, d)),
                source: o.source.map_or_else(|| c.source.get_ref().clone(), Spanned::into_inner),
                content,
                notice_title: o.notice_title,
                loc: loc_of(file, &o.id),
            });
        }
        obligations.sort_by(|a, b| a.id.cmp(&b.id));
        controls.push(Control {
            id: format!("{fw_id}:{}", c.id.get_ref()),
            title: c.title,
            summary: c.summary,
            source: c.source.into_inner(),
            when,
            status: c.status,
            related,
            obligations,
            loc: loc_of(file, &c.id),
        });
    }
    controls.sort_by(|a, b| a.id.cmp(&b.id));
    Framework {
        id: fw_id,
        title: spec.title,
        kind: spec.kind,
        source: spec.source.into_inner(),
        scope,
        controls,
        loc: fw_loc,
    }
}

fn validate_content(o: &spec::ObligationSpec, fw_id: &str, file: FileId, diags: &mut Vec<Diagnostic>) -> Vec<Content> {
    if (!o.content.is_empty() || o.notice_title.is_some()) && o.kind.get_ref() != &spec::ObligationKind::Notify {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "`{fw_id}:{}` lists notification content but is not a notify obligation",
                    o.id.get_ref()
                ),
            )
            .at(loc_of(file, &o.kind), "content belongs to `kind = \"notify\"`"),
        );
    }
    let mut seen: HashMap<&str, Loc> = HashMap::new();
    let mut out = Vec::new();
    for c in &o.content {
        let field = c.field.get_ref();
        let loc = loc_of(file, &c.field);
        if field.is_empty()
            || !field
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        {
            diags.push(
                Diagnostic::error(Code::InvalidId, format!("content field `{field}` is not snake_case"))
                    .at(loc.clone(), "lowercase letters, digits and `_`"),
            );
        }
        if let Some(prev) = seen.get(field.as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "content field `{field}` is listed twice in `{fw_id}:{}`",
                        o.id.get_ref()
                    ),
                )
                .at(loc.clone(), "listed again here")
                .also(prev.clone(), "first listed here"),
            );
        }
        seen.insert(field, loc);
        for key in &c.from {
            if !crate::incident::KEYS.contains(&key.get_ref().as_str()) {
                let mut d = Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` is not an incident key", key.get_ref()),
                )
                .at(loc_of(file, key), "");
                if let Some(s) = did_you_mean(key.get_ref(), crate::incident::KEYS.iter().copied()) {
                    d = d.note(format!("help: did you mean `{s}`?"));
                }
                diags.push(d);
            }
        }
        out.push(Content {
            field: field.clone(),
            heading: c.heading.clone(),
            help: c.help.clone(),
            from: c.from.iter().map(|k| k.get_ref().clone()).collect(),
            required: c.required,
            phased: c.phased,
        });
    }
    out
}

fn parse_deadline(d: &Spanned<toml::Value>, file: FileId, diags: &mut Vec<Diagnostic>) -> Option<Deadline> {
    let loc = Loc::new(file, d.span());
    let tables: Vec<&toml::Table> = match d.get_ref() {
        toml::Value::Table(t) => vec![t],
        toml::Value::Array(items) if !items.is_empty() => {
            let tables: Vec<_> = items.iter().filter_map(toml::Value::as_table).collect();
            if tables.len() != items.len() {
                diags.push(
                    Diagnostic::error(Code::InvalidDeadline, "a deadline array must hold only tables").at(loc, ""),
                );
                return None;
            }
            tables
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidDeadline,
                    "a deadline is a table `{ within = \"72h\", from = \"discovered\" }` or an array of them",
                )
                .at(loc, ""),
            );
            return None;
        }
    };
    let mut alternatives = Vec::new();
    let mut ok = true;
    for t in tables {
        let mut fail = |msg: String| {
            diags.push(Diagnostic::error(Code::InvalidDeadline, msg).at(loc.clone(), ""));
            ok = false;
        };
        if let Some(key) = t.keys().find(|k| !matches!(k.as_str(), "within" | "from")) {
            fail(format!(
                "unknown key `{key}` in a deadline; expected `within` and `from`"
            ));
            continue;
        }
        let Some(within) = t.get("within").and_then(toml::Value::as_str) else {
            fail("a deadline needs `within` as a string, e.g. `within = \"72h\"`".to_owned());
            continue;
        };
        let within = match Within::parse(within) {
            Ok(w) => w,
            Err(e) => {
                fail(e);
                continue;
            }
        };
        let Some(from) = t.get("from").and_then(toml::Value::as_str) else {
            fail("a deadline needs `from`: a timeline date (occurred, discovered, determined, classified, material, paid) or an obligation id".to_owned());
            continue;
        };
        let from = if let Some(key) = TimelineKey::parse(from) {
            Start::Timeline(key)
        } else if from.contains(':') {
            Start::Obligation(from.to_owned())
        } else {
            let help = did_you_mean(from, TimelineKey::ALL.iter().map(|k| k.as_str()));
            fail(format!(
                "`{from}` is neither a timeline date nor an obligation id (`framework:id`){}",
                help.map(|h| format!("; did you mean `{h}`?")).unwrap_or_default()
            ));
            continue;
        };
        alternatives.push(Alternative { within, from });
    }
    ok.then_some(Deadline { alternatives })
}

fn check_references(frameworks: &mut [Framework], _map: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let controls: BTreeSet<String> = frameworks
        .iter()
        .flat_map(|f| f.controls.iter().map(|c| c.id.clone()))
        .collect();
    let obligations: BTreeSet<String> = frameworks
        .iter()
        .flat_map(|f| {
            f.controls
                .iter()
                .flat_map(|c| c.obligations.iter().map(|o| o.id.clone()))
        })
        .collect();
    let dangling = |what: &str, target: &str, set: &BTreeSet<String>, loc: &Loc| {
        let mut d = Diagnostic::error(Code::DanglingReference, format!("{what} `{target}` does not exist"))
            .at(loc.clone(), "referenced here");
        if let Some(s) = did_you_mean(target, set.iter().map(String::as_str)) {
            d = d.note(format!("help: did you mean `{s}`?"));
        }
        d
    };
    for f in frameworks.iter_mut() {
        for c in &mut f.controls {
            c.related.retain(|r| {
                let ok = controls.contains(&r.to);
                if !ok {
                    diags.push(dangling("related control", &r.to, &controls, &r.loc));
                }
                ok
            });
            for o in &mut c.obligations {
                for (s, loc) in o.same_as.iter().zip(&o.same_as_locs) {
                    if !obligations.contains(s) {
                        diags.push(dangling("same_as obligation", s, &obligations, loc));
                    }
                }
                if let Some(d) = &o.deadline {
                    for alt in &d.alternatives {
                        if let Start::Obligation(id) = &alt.from {
                            if !obligations.contains(id) {
                                diags.push(dangling(
                                    "deadline start obligation",
                                    id,
                                    &obligations,
                                    o.deadline_loc.as_ref().unwrap_or(&o.loc),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
}

fn check_deadline_cycles(frameworks: &[Framework], _map: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let obligations: Vec<&Obligation> = frameworks
        .iter()
        .flat_map(|f| f.controls.iter().flat_map(|c| c.obligations.iter()))
        .collect();
    let mut graph = DiGraph::<usize, ()>::new();
    let nodes: Vec<_> = (0..obligations.len()).map(|i| graph.add_node(i)).collect();
    let index: HashMap<&str, usize> = obligations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    for (i, o) in obligations.iter().enumerate() {
        for alt in o.deadline.iter().flat_map(|d| d.alternatives.iter()) {
            if let Start::Obligation(id) = &alt.from {
                if let Some(&j) = index.get(id.as_str()) {
                    graph.add_edge(nodes[j], nodes[i], ());
                }
            }
        }
    }
    let mut cycles: Vec<Vec<usize>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| scc.len() > 1 || graph.contains_edge(scc[0], scc[0]))
        .map(|scc| {
            let mut v: Vec<usize> = scc.into_iter().map(|n| graph[n]).collect();
            v.sort_unstable();
            v
        })
        .collect();
    cycles.sort();
    for cycle in cycles {
        let names: Vec<&str> = cycle.iter().map(|&i| obligations[i].id.as_str()).collect();
        let mut d = Diagnostic::error(
            Code::DeadlineCycle,
            format!("deadlines are counted from each other in a cycle: {}", names.join(", ")),
        );
        for (n, &i) in cycle.iter().enumerate() {
            let loc = obligations[i].loc.clone();
            d = if n == 0 {
                d.at(loc, "in the cycle")
            } else {
                d.also(loc, "in the cycle")
            };
        }
        diags.push(d);
    }
}
