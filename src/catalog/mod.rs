//! Loading a catalog: read the TOML files of each layer, deserialize them into `spec`
//! types, and validate them into the `model`, collecting every problem as a diagnostic.
//!
//! Layers are the embedded default catalog (unless turned off) and each `--controls`
//! folder, in order. A later layer's framework replaces one with the same id; its facts
//! extend the taxonomy (or replace a fact with the same key). Within one layer, a
//! duplicate is an error that names both places. Nothing stops at the first problem:
//! the result is `Err` with all diagnostics when any is an error.
//!
//! The embedded catalog was loaded by this same code when ctrlmap was built (`build.rs`
//! compiles this module), and its validated model is embedded as postcard bytes beside
//! its texts: loading it alone only decodes that. With other layers on top, it is
//! loaded from its texts like any layer. Large catalogs are parsed and validated on
//! every core.

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, FileId, Loc, SourceMap, has_errors};
use crate::model::Catalog;
pub(crate) use crate::read::read_input;
use crate::read::{Links, MAX_FILE_BYTES, read_text};
use crate::rule::Rule;
use crate::spec::{CatalogFileSpec, Spanned};
use crate::taxonomy::Taxonomy;

/// One catalog load reads at most this many bytes of files, all `--controls` together:
/// their sizes are added up before any is read, and reading stops at the limit.
pub const MAX_CATALOG_BYTES: u64 = 1024 * 1024 * 1024;
/// Catalogs with less TOML text than this are parsed on one thread.
const PARALLEL_PARSE_BYTES: usize = 4 * 1024 * 1024;
/// Catalogs with fewer controls than this are validated, and searched for unreachable
/// obligations, on one thread.
pub(crate) const PARALLEL_CONTROLS: usize = 5_000;
/// An id, `framework:` included, has at most this many characters: a draft's file name
/// is made of it.
pub(crate) const MAX_ID_CHARS: usize = 100;
/// A catalog folder may hold at most this many files.
pub const MAX_FILES: usize = 10_000;

mod calendars;
mod cycles;
mod frameworks;
mod lints;
mod taxonomy;

/// The shipped catalog as `build.rs` writes it: `FILES`, the name and text of each file
/// of `controls/`, and `MODEL`, what `load_layers` made of them, encoded.
#[cfg(ctrlmap_embedded)]
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// While `build.rs` itself is compiled, nothing is embedded yet.
#[cfg(not(ctrlmap_embedded))]
mod embedded {
    pub(crate) static FILES: &[(&str, &str)] = &[];
    pub(crate) static MODEL: &[u8] = &[];
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

/// A loaded catalog and its warnings.
type Loaded = (Catalog, Vec<Diagnostic>);

/// Loads and validates a catalog. Warnings come back with `Ok`.
///
/// The embedded catalog alone, loaded into an empty source map, is decoded from the
/// model made when ctrlmap was built: its locations then name the same files as
/// loading its texts would. Everything else goes through `load_layers`.
pub fn load(sources: &Sources, map: &mut SourceMap) -> Result<Loaded, Vec<Diagnostic>> {
    if sources.default_controls && sources.dirs.is_empty() && sources.texts.is_empty() && map.is_empty() {
        return decode_embedded(map);
    }
    load_layers(sources.default_controls.then(shipped), sources, map)
}

/// The embedded catalog's files, as a layer to load.
fn shipped() -> Vec<(String, Cow<'static, str>)> {
    embedded::FILES
        .iter()
        .map(|&(name, text)| (name.to_owned(), Cow::Borrowed(text)))
        .collect()
}

/// Adds the embedded catalog's files to `map` and decodes its model. The bytes were
/// written by this crate's own build, so a failure is a bug, reported as one.
fn decode_embedded(map: &mut SourceMap) -> Result<Loaded, Vec<Diagnostic>> {
    for &(name, text) in embedded::FILES {
        map.add(name, text);
    }
    decode(embedded::MODEL)
}

/// Decodes a catalog encoded by `build.rs`.
fn decode(bytes: &[u8]) -> Result<Loaded, Vec<Diagnostic>> {
    postcard::from_bytes::<Loaded>(bytes).map_err(|e| {
        vec![
            Diagnostic::error(Code::Internal, format!("the embedded catalog does not decode: {e}"))
                .note("this is a bug in ctrlmap: the catalog built into it is damaged"),
        ]
    })
}

/// The one loader: the embedded catalog's files as the first layer (when given), then
/// each of `sources.dirs`, then `sources.texts`; `sources.default_controls` is not read.
pub(crate) fn load_layers(
    shipped: Option<Vec<(String, Cow<'static, str>)>>,
    sources: &Sources,
    map: &mut SourceMap,
) -> Result<Loaded, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut origin = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    if let Some(files) = shipped {
        origin.push("embedded".to_owned());
        for (name, text) in files {
            pending.push((0, map.add(name, text)));
        }
    }
    let mut paths = Vec::new();
    for (i, dir) in sources.dirs.iter().enumerate() {
        origin.push(dir.display().to_string());
        paths.extend(catalog_paths(dir, &mut diags).into_iter().map(|p| (i + 1, p)));
    }
    for (layer, path, text) in read_files(paths, &mut diags) {
        pending.push((layer, map.add(path.display().to_string(), text)));
    }
    for (name, text) in &sources.texts {
        pending.push((sources.dirs.len() + 1, map.add(name.clone(), text.clone())));
    }
    let mut files: Vec<(usize, FileId, CatalogFileSpec)> = Vec::new();
    for ((layer, file), parsed) in pending.iter().zip(parse_all(&pending, map)) {
        match parsed {
            Ok(spec) => files.push((*layer, *file, spec)),
            Err(found) => diags.extend(found),
        }
    }
    let origin = if origin.is_empty() {
        "empty".to_owned()
    } else {
        origin.join(", ")
    };
    let taxonomy = taxonomy::build_taxonomy(&mut files, &mut diags);
    let calendars = calendars::build_calendars(&mut files, &taxonomy, &mut diags);
    let frameworks = frameworks::build_frameworks(files, &taxonomy, &calendars, map, &mut diags);
    frameworks::check_deadline_cycles(&frameworks, &mut diags);
    if has_errors(&diags) {
        return Err(diags);
    }
    Ok((
        Catalog {
            taxonomy,
            frameworks,
            calendars,
            origin,
        },
        diags,
    ))
}

/// The files of a `--controls` argument: the file itself, or every `.toml` file under
/// the folder (see [`toml_files`]).
fn catalog_paths(dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return vec![dir.to_path_buf()];
    }
    let paths = match toml_files(dir) {
        Ok(paths) => paths,
        Err(e) => {
            diags.push(Diagnostic::error(
                Code::Io,
                format!("cannot read catalog folder {}: {e}", dir.display()),
            ));
            return Vec::new();
        }
    };
    if paths.len() > MAX_FILES {
        diags.push(Diagnostic::error(
            Code::TooLarge,
            format!(
                "catalog folder {} has more than {MAX_FILES} files; ctrlmap reads at most {MAX_FILES}",
                dir.display(),
            ),
        ));
        return Vec::new();
    }
    paths
}

/// Reads the files of a catalog, each of its layer, within [`MAX_CATALOG_BYTES`] in
/// all: when the sizes the files report add up to more, none is read; a file that
/// grows while it is read stops at what is left.
fn read_files(paths: Vec<(usize, PathBuf)>, diags: &mut Vec<Diagnostic>) -> Vec<(usize, PathBuf, String)> {
    let total: u64 = paths
        .iter()
        .filter_map(|(_, p)| fs::metadata(p).ok())
        .map(|m| m.len())
        .fold(0, u64::saturating_add);
    let over_total = || {
        Diagnostic::error(
            Code::TooLarge,
            format!(
                "the catalog's files add up to more than {MAX_CATALOG_BYTES} bytes; ctrlmap reads at most {MAX_CATALOG_BYTES} bytes of catalog files in all"
            ),
        )
    };
    if total > MAX_CATALOG_BYTES {
        diags.push(over_total());
        return Vec::new();
    }
    let mut left = MAX_CATALOG_BYTES;
    let mut out = Vec::new();
    for (layer, path) in paths {
        let limit = left.min(MAX_FILE_BYTES);
        let read = read_text(&path, limit, Links::Follow);
        if let Ok(text) = &read {
            left -= text.len() as u64;
        }
        match read {
            Ok(text) => out.push((layer, path, text)),
            Err(d) if d.code == Code::TooLarge && limit < MAX_FILE_BYTES => {
                diags.push(over_total());
                break;
            }
            Err(d) => diags.push(d),
        }
    }
    out
}

/// The `.toml` files under `dir`, in its subfolders too, sorted by path (folder by
/// folder). Links to folders are not followed, so a link cannot make a loop; the walk
/// stops after [`MAX_FILES`] + 1 files.
pub(crate) fn toml_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    files_under(dir, &["toml"])
}

/// The files under `dir` with one of `extensions`, as [`toml_files`] walks them.
pub(crate) fn files_under(dir: &Path, extensions: &[&str]) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| extensions.iter().any(|e| x == *e)) && path.is_file() {
                found.push(path);
                if found.len() > MAX_FILES {
                    return Ok(found);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A file to parse: its layer and its id.
type Pending = (usize, FileId);

/// Parses every file, on every core for a large catalog: TOML parsing is most of the
/// time of loading one. Results come back in the order of `files`.
fn parse_all(files: &[Pending], map: &SourceMap) -> Vec<Result<CatalogFileSpec, Vec<Diagnostic>>> {
    let parse = |&(_, file): &Pending| parse_catalog_file(map.text(file), file);
    // Threads pay for themselves only on large catalogs: each new thread gets its own
    // allocator arena, whose first pages cost more than parsing a few hundred kilobytes.
    let bytes: usize = files.iter().map(|(_, f)| map.text(*f).len()).sum();
    if bytes < PARALLEL_PARSE_BYTES {
        files.iter().map(parse).collect()
    } else {
        files.par_iter().map(parse).collect()
    }
}

/// At most this many shape errors are reported per catalog file.
const MAX_SHAPE_ERRORS: usize = 50;

/// Parses one catalog file. The TOML reader stops at the first value of the wrong
/// shape; when that value is inside a `[[control]]` (with its obligations), the
/// control is blanked out (spaces for everything but line breaks, so that every
/// place stays where it was) and the file read again, to report the next one too.
fn parse_catalog_file(text: &str, file: FileId) -> Result<CatalogFileSpec, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut error = match toml::from_str::<CatalogFileSpec>(text) {
        Ok(spec) => return Ok(spec),
        Err(e) => e,
    };
    // A syntax error is reported alone: what follows it cannot be read reliably.
    let shape_only = text.parse::<toml::Table>().is_ok();
    let mut blanked = text.to_owned();
    loop {
        let span = error.span();
        let message = error.message().to_owned();
        toml_diag::<()>(Err(error), &blanked, file, &mut diags);
        let Some(offset) = span
            .clone()
            .filter(|_| shape_only && diags.len() < MAX_SHAPE_ERRORS)
            .map(|s| s.start)
        else {
            break;
        };
        // First the line of the value at fault alone; if the file then lacks a required
        // key, the whole block that holds it instead (see `error_block`).
        let by_line = line_of(&blanked, offset)
            // A table's header stands for the whole table: never blanked alone.
            .filter(|line| !blanked[line.clone()].trim_start().starts_with('['))
            .map(|line| blank(&blanked, line))
            .filter(|without| without.parse::<toml::Table>().is_ok())
            .map(|without| (toml::from_str::<CatalogFileSpec>(&without).err(), without))
            .filter(|(e, _)| !e.as_ref().is_some_and(|e| e.message().starts_with("missing field")));
        let (found, without) = if let Some(found) = by_line {
            found
        } else {
            let Some(block) = error_block(&blanked, offset) else {
                break;
            };
            let without = blank(&blanked, block);
            (toml::from_str::<CatalogFileSpec>(&without).err(), without)
        };
        blanked = without;
        match found {
            // The same error again: blanking did not get past it, so stop.
            Some(e) if e.span() == span && e.message() == message => break,
            Some(e) => error = e,
            None => break,
        }
    }
    // Found in the reader's order; reported in the file's.
    diags.sort_by_key(|d| d.labels.first().map(|l| l.loc.span.start));
    Err(diags)
}

/// `text` with `range` replaced by spaces (line breaks kept, so positions stay valid).
fn blank(text: &str, range: std::ops::Range<usize>) -> String {
    let spaces: String = text[range.clone()]
        .chars()
        .map(|c| if c == '\n' { c } else { ' ' })
        .collect();
    let mut out = text.to_owned();
    out.replace_range(range, &spaces);
    out
}

/// The byte range of the line that holds `offset`, without its line break.
fn line_of(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    Some(start..end)
}

/// What to blank after a shape error at `offset` when its line alone will not do, so
/// that reading on finds the next error without inventing others: the
/// `[[control.obligation]]` block that holds it (an obligation is never required);
/// else its whole `[[control]]` block, obligations included (a control without its own
/// keys would be missing its id); else the other table (`[framework]`, a `[kind.*]`
/// table) that holds it.
fn error_block(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    control_block(text, offset)
        .map(|control| {
            // Inside the control, the obligation block that holds `offset`, if any.
            let mut at = control.start;
            let mut obligation: Option<usize> = None;
            for line in text[control.clone()].split_inclusive('\n') {
                if line.trim_start().starts_with("[[control.obligation]]") {
                    if let Some(s) = obligation.filter(|s| (*s..at).contains(&offset)) {
                        return s..at;
                    }
                    obligation = Some(at);
                }
                at += line.len();
            }
            match obligation {
                Some(s) if offset >= s => s..control.end,
                _ => control,
            }
        })
        .or_else(|| table_block(text, offset))
}

/// The byte range of the top-level table other than a control (its header up to the
/// next header) that holds `offset`, if any.
fn table_block(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let mut start = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            if let Some(s) = start {
                if (s..at).contains(&offset) {
                    return Some(s..at);
                }
            }
            start = Some(at);
        }
        at += line.len();
    }
    start.filter(|s| (*s..at).contains(&offset)).map(|s| s..at)
}

/// The byte range of the `[[control]]` block (its header up to the next `[[control]]`
/// or other top-level table) that holds `offset`, if any.
fn control_block(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let mut start = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let header = line.trim_start();
        let is_control = header.starts_with("[[control]]");
        let is_other = header.starts_with('[') && !header.starts_with("[[control") && !header.starts_with("[control");
        if is_control || is_other {
            if let Some(s) = start {
                if (s..at).contains(&offset) {
                    return Some(s..at);
                }
            }
            start = is_control.then_some(at);
        }
        at += line.len();
    }
    start.filter(|s| (*s..at).contains(&offset)).map(|s| s..at)
}

/// Turns a TOML or shape error into a diagnostic at its position in `text`. An error
/// that has no position (the reader's recursion limit on dotted keys) is put at the
/// line whose key has the most parts.
pub(crate) fn toml_diag<T>(
    result: Result<T, toml::de::Error>,
    text: &str,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            let span = e.span().or_else(|| deepest_key(text).map(|at| at..at)).unwrap_or(0..0);
            diags.push(
                Diagnostic::error(Code::TomlSyntax, e.message().trim_end_matches('\n').to_owned())
                    .at(Loc::new(file, span), ""),
            );
            None
        }
    }
}

/// The start of the line whose key (a `[table]` header or the key before `=`) has the
/// most dotted parts, when one has many.
fn deepest_key(text: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or("");
        let dots = key.matches('.').count();
        if dots >= 8 && best.is_none_or(|(most, _)| dots > most) {
            best = Some((dots, at + (line.len() - line.trim_start().len())));
        }
        at += line.len();
    }
    best.map(|(_, at)| at)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The model decoded at run time is exactly what loading the embedded texts gives,
    /// warnings included, and names the same files.
    #[test]
    fn the_embedded_model_is_what_its_texts_load_into() {
        let mut decoded_map = SourceMap::new();
        let decoded = load(&Sources::embedded(), &mut decoded_map).expect("the embedded model decodes");
        let mut map = SourceMap::new();
        let loaded = load_layers(Some(shipped()), &Sources::default(), &mut map).expect("the embedded texts load");
        assert!(decoded == loaded, "the embedded model is out of date");
        assert!(!decoded.0.frameworks.is_empty());
        for fw in &decoded.0.frameworks {
            let file = fw.loc.file;
            assert_eq!(decoded_map.name(file), map.name(file));
            assert_eq!(decoded_map.text(file), map.text(file));
            assert!(decoded_map.name(file).starts_with("controls/"));
        }
    }

    /// Every `.toml` file under `controls/`, in subfolders too, is embedded.
    #[test]
    fn every_file_of_the_catalog_folder_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let on_disk: Vec<String> = toml_files(&root.join("controls"))
            .expect("controls/ reads")
            .iter()
            .map(|p| {
                let relative = p.strip_prefix(root).expect("under the root");
                let parts: Vec<_> = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect();
                parts.join("/")
            })
            .collect();
        let embedded: Vec<&str> = embedded::FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(embedded, on_disk);
    }

    /// Damaged bytes are an internal error, not a catalog and not a slower path.
    #[test]
    fn a_damaged_model_is_an_internal_error() {
        for bytes in [&embedded::MODEL[..embedded::MODEL.len() / 2], &[0xff; 16][..], &[][..]] {
            let diags = decode(bytes).expect_err("does not decode");
            assert_eq!(diags.len(), 1);
            assert_eq!(diags[0].code, Code::Internal);
        }
    }

    /// A folder's subfolders are read, in path order; links to folders are not
    /// followed, and other files are left alone.
    #[test]
    fn catalog_folders_are_read_with_their_subfolders() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for path in ["b.toml", "a/z.toml", "a/b/c.toml", "a/notes.md", "c/d.toml"] {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            fs::write(path, "").expect("write");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("c/loop")).expect("symlink");
        let found: Vec<PathBuf> = toml_files(dir.path())
            .expect("reads")
            .into_iter()
            .map(|p| p.strip_prefix(dir.path()).expect("inside").to_path_buf())
            .collect();
        let expected: Vec<PathBuf> = ["a/b/c.toml", "a/z.toml", "b.toml", "c/d.toml"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(found, expected);
    }
}
