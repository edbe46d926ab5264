//! Loading a catalog: read the TOML files of each layer, deserialize them into `spec`
//! types, and validate them into the `model`, collecting every problem as a diagnostic.
//!
//! Layers are the embedded default catalog (unless turned off) and each `--controls`
//! folder, in order. A later layer's framework replaces one with the same id; its facts
//! extend the taxonomy (or replace a fact with the same key). Within one layer, a
//! duplicate is an error that names both places. Nothing stops at the first problem:
//! the result is `Err` with all diagnostics when any is an error.
//!
//! The embedded catalog's files were parsed when ctrlmap was built: they are read from
//! their [`snapshot`]s into the same `spec` types. Large catalogs are parsed and
//! validated on every core.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, FileId, Loc, SourceMap, has_errors};
use crate::model::Catalog;
use crate::rule::Rule;
use crate::spec::{CatalogFileSpec, Spanned};
use crate::taxonomy::Taxonomy;

/// Input files larger than this are refused, so a stray file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Catalogs with less TOML text than this are parsed on one thread.
const PARALLEL_PARSE_BYTES: usize = 4 * 1024 * 1024;
/// Catalogs with fewer controls than this are validated, and searched for unreachable
/// obligations, on one thread.
pub(crate) const PARALLEL_CONTROLS: usize = 5_000;
/// A catalog folder may hold at most this many files.
pub const MAX_FILES: usize = 10_000;

mod cycles;
mod frameworks;
pub mod snapshot;
mod taxonomy;

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
    let mut pending: Vec<Pending> = Vec::new();
    if sources.default_controls {
        origin.push("embedded".to_owned());
        for (name, text, snapshot) in embedded::FILES {
            pending.push((0, map.add(*name, *text), Some(snapshot)));
        }
    }
    for (i, dir) in sources.dirs.iter().enumerate() {
        origin.push(dir.display().to_string());
        for (path, text) in read_dir(dir, &mut diags) {
            pending.push((i + 1, map.add(path.display().to_string(), text), None));
        }
    }
    for (name, text) in &sources.texts {
        pending.push((sources.dirs.len() + 1, map.add(name.clone(), text.clone()), None));
    }
    let mut files: Vec<(usize, FileId, CatalogFileSpec)> = Vec::new();
    for ((layer, file, _), parsed) in pending.iter().zip(parse_all(&pending, map)) {
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
    let taxonomy = taxonomy::build_taxonomy(&mut files, &mut diags);
    let frameworks = frameworks::build_frameworks(files, &taxonomy, map, &mut diags);
    frameworks::check_deadline_cycles(&frameworks, &mut diags);
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

/// A file to parse: its layer, its id, and its snapshot when it has one.
type Pending = (usize, FileId, Option<&'static [u8]>);

/// Parses every file, on every core for a large catalog: TOML parsing is most of the
/// time of loading one. Results come back in the order of `files`.
fn parse_all(files: &[Pending], map: &SourceMap) -> Vec<Result<CatalogFileSpec, Diagnostic>> {
    let parse = |&(_, file, snapshot): &Pending| {
        // A snapshot that does not read (it never should) is answered by the text.
        if let Some(spec) = snapshot.and_then(|bytes| snapshot::decode(bytes).ok()) {
            return Ok(spec);
        }
        let mut diags = Vec::new();
        toml_diag(toml::from_str::<CatalogFileSpec>(map.text(file)), file, &mut diags).ok_or_else(|| {
            diags
                .pop()
                .unwrap_or_else(|| Diagnostic::error(Code::TomlSyntax, "unreadable catalog file"))
        })
    };
    // Threads pay for themselves only on large catalogs: each new thread gets its own
    // allocator arena, whose first pages cost more than parsing a few hundred kilobytes.
    let bytes: usize = files
        .iter()
        .filter(|(_, _, snapshot)| snapshot.is_none())
        .map(|(_, f, _)| map.text(*f).len())
        .sum();
    if bytes < PARALLEL_PARSE_BYTES {
        files.iter().map(parse).collect()
    } else {
        files.par_iter().map(parse).collect()
    }
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

pub(super) fn loc_of<T>(file: FileId, s: &Spanned<T>) -> Loc {
    Loc::new(file, s.span())
}

/// Parses a rule string, turning errors into diagnostics inside the string.
pub(super) fn parse_rule(
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
