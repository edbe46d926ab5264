//! Diagnostics: what went wrong in an input file, and where.
//!
//! Every stage that reads user files (catalog, incident, rules) reports problems as
//! [`Diagnostic`]s with a stable [`Code`] and labels pointing at byte spans of a file in
//! the [`SourceMap`]. Stages collect all diagnostics instead of stopping at the first;
//! the CLI renders them all with `file:line:col` and a snippet.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::ops::Range;
use std::sync::OnceLock;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::{Deserialize, Serialize};

use crate::text::defuse;

/// Identifies one file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FileId(usize);

/// A place in a source file: the file and a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// Byte offsets into the file's text.
    pub span: Range<usize>,
}

impl Loc {
    /// A location in `file` covering `span`.
    #[must_use]
    pub fn new(file: FileId, span: Range<usize>) -> Self {
        Loc { file, span }
    }
}

/// The text of every file read, so that spans can be shown as `path:line:col`.
///
/// Diagnostics quote lines of the files; they quote a copy in which control characters
/// (and the other characters of `text::is_unsafe`) are replaced, byte for byte, by `?`, so that an input cannot send escape sequences
/// to the terminal through an error message. That copy, and the line index the
/// renderer needs, are made only when diagnostics are rendered: most runs render none,
/// and the embedded catalog is kept as the static text it is.
#[derive(Default)]
pub struct SourceMap {
    /// Names (paths) as shown, control characters replaced, and the texts as read.
    files: Vec<(String, Cow<'static, str>)>,
    /// Where each line of each file starts, made when a line is first asked for: a
    /// report asks for the line of every stated fact.
    line_starts: Vec<OnceLock<Vec<usize>>>,
}

impl SourceMap {
    /// An empty map.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Cow<'static, str>>) -> FileId {
        self.files.push((defuse(&name.into()).into_owned(), text.into()));
        self.line_starts.push(OnceLock::new());
        FileId(self.files.len() - 1)
    }

    /// True when no file has been added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The name (path) of a file as given when it was added.
    #[must_use]
    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file.0).map_or("<unknown>", |f| f.0.as_str())
    }

    /// The text of a file.
    #[must_use]
    pub fn text(&self, file: FileId) -> &str {
        self.files.get(file.0).map_or("", |f| &f.1)
    }

    /// `path:line:col` (1-based) of a byte offset.
    #[must_use]
    pub fn position(&self, loc: &Loc) -> String {
        let (line, col) = line_col(self.text(loc.file), loc.span.start);
        format!("{}:{line}:{col}", self.name(loc.file))
    }

    /// The length in bytes of the line a location starts on.
    fn line_length(&self, loc: &Loc) -> usize {
        let text = self.text(loc.file);
        let at = loc.span.start.min(text.len());
        let start = text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
        let end = text.get(at..).and_then(|t| t.find('\n')).map_or(text.len(), |i| at + i);
        end.saturating_sub(start)
    }

    /// The 1-based line of a location, found in the file's line index.
    #[must_use]
    pub fn line(&self, loc: &Loc) -> usize {
        let Some(starts) = self.line_starts.get(loc.file.0) else {
            return 1;
        };
        let starts = starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text(loc.file).match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        starts.partition_point(|&start| start <= loc.span.start)
    }

    /// Renders diagnostics as plain text, one after another.
    #[must_use]
    pub fn render(&self, diagnostics: &[Diagnostic]) -> String {
        let config = term::Config::default();
        let mut out = String::new();
        let mut shown = None;
        for d in diagnostics {
            // A snippet of a very long line (minified or hostile input) would flood the
            // terminal: such diagnostics are shown as one `file:line:col` line each.
            if d.labels.iter().any(|l| self.line_length(&l.loc) > MAX_SNIPPET_LINE) {
                let _ = writeln!(out, "{}[{}]: {}", d.severity, d.code, d.message);
                for l in &d.labels {
                    let _ = writeln!(
                        out,
                        "  --> {}{}",
                        self.position(&l.loc),
                        if l.message.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", l.message)
                        }
                    );
                }
                for n in &d.notes {
                    let _ = writeln!(out, "  = {n}");
                }
                out.push('\n');
                continue;
            }
            let files = shown.get_or_insert_with(|| self.shown());
            match term::emit_into_string(&config, files, &d.to_codespan()) {
                Ok(text) => out.push_str(&text),
                // A span outside its file would be a bug of ours; still say something useful.
                Err(_) => {
                    let _ = writeln!(out, "{}[{}]: {}", d.severity, d.code, d.message);
                }
            }
        }
        out
    }
}

impl SourceMap {
    /// The files as diagnostics quote them.
    fn shown(&self) -> SimpleFiles<&str, Cow<'_, str>> {
        let mut files = SimpleFiles::new();
        for (name, text) in &self.files {
            files.add(name.as_str(), defuse(text));
        }
        files
    }
}

/// Lines longer than this are not quoted in diagnostics.
const MAX_SNIPPET_LINE: usize = 400;

/// Line and column (both 1-based, column in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input is usable but probably not what was meant.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

macro_rules! codes {
    ($($variant:ident => $name:literal, $desc:literal;)*) => {
        /// Stable identifiers of the problems ctrlmap reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Code {
            $(
                #[doc = $desc]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The kebab-case name shown to users.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// A one-line description.
            #[must_use]
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $desc,)* }
            }
        }
    };
}

codes! {
    Io => "io", "A file could not be read or written.";
    TooLarge => "too-large", "An input exceeds a size limit.";
    TomlSyntax => "toml-syntax", "A file is not valid TOML or does not have the expected shape.";
    RuleSyntax => "rule-syntax", "A rule string is not valid in the rule language.";
    RuleTooDeep => "rule-too-deep", "A rule nests deeper than the limit.";
    UnknownFact => "unknown-fact", "A rule or incident names a fact that the taxonomy does not declare.";
    UnknownKind => "unknown-kind", "A fact names a kind that the taxonomy does not declare.";
    UnknownNumber => "unknown-number", "A comparison names a number that the taxonomy does not declare.";
    DuplicateId => "duplicate-id", "Two items share an identifier.";
    DuplicateFact => "duplicate-fact", "A fact is declared twice.";
    InvalidId => "invalid-id", "An identifier has characters or a shape that is not allowed.";
    DanglingReference => "dangling-reference", "A reference names an item that does not exist.";
    ImpliesCycle => "implies-cycle", "Facts imply each other in a cycle.";
    DeadlineCycle => "deadline-cycle", "Deadlines are counted from each other in a cycle.";
    InvalidDeadline => "invalid-deadline", "A deadline cannot be understood.";
    InvalidCalendar => "invalid-calendar", "A holiday calendar cannot be understood.";
    MissingField => "missing-field", "A field that is required here is missing.";
    MissingTitle => "missing-title", "A kind is used without a title anywhere.";
    InvalidValue => "invalid-value", "A value is not one of the allowed ones.";
    InvalidTime => "invalid-time", "A timeline entry is not an RFC 3339 time.";
    InvalidDate => "invalid-date", "An `effective` or `until` date is not a calendar date, or `until` does not come after `effective`.";
    Contradiction => "contradiction", "A fact comes out both true and false.";
    NotAFramework => "not-a-framework", "A catalog file is neither a taxonomy nor a framework.";
    UnreachableObligation => "unreachable-obligation", "An obligation's conditions can never all be true.";
    InvalidAssumption => "invalid-assumption", "An --assume argument cannot be understood.";
    Internal => "internal", "A bug in ctrlmap itself, not in its input.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A label: a location and what to say about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Where.
    pub loc: Loc,
    /// What, short; may be empty.
    pub message: String,
    /// The primary label is the place of the problem; secondary ones give context.
    pub primary: bool,
}

/// One problem found in the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One line, lowercase, no trailing punctuation.
    pub message: String,
    /// Places in files.
    pub labels: Vec<Label>,
    /// Further lines (`help: ...`).
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A new error.
    #[must_use]
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: clip(&message.into()),
            labels: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A new warning.
    #[must_use]
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Adds the primary label.
    #[must_use]
    pub fn at(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            loc,
            message: clip(&message.into()),
            primary: true,
        });
        self
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn also(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            loc,
            message: clip(&message.into()),
            primary: false,
        });
        self
    }

    /// Adds a note line.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(clip(&note.into()));
        self
    }

    fn to_codespan(&self) -> cs::Diagnostic<usize> {
        let severity = match self.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let labels = self
            .labels
            .iter()
            .map(|l| {
                let style = if l.primary {
                    cs::LabelStyle::Primary
                } else {
                    cs::LabelStyle::Secondary
                };
                cs::Label::new(style, l.loc.file.0, l.loc.span.clone()).with_message(&l.message)
            })
            .collect();
        cs::Diagnostic::new(severity)
            .with_code(self.code.as_str())
            .with_message(&self.message)
            .with_labels(labels)
            .with_notes(self.notes.clone())
    }
}

/// Messages longer than this are cut: a hostile input must not make the diagnostics
/// themselves enormous.
const MAX_MESSAGE: usize = 300;

/// Cuts a message to [`MAX_MESSAGE`] characters, marking the cut.
fn clip(message: &str) -> String {
    let message = defuse(message);
    if message.chars().count() <= MAX_MESSAGE {
        return message.into_owned();
    }
    let mut cut: String = message.chars().take(MAX_MESSAGE).collect();
    cut.push('…');
    cut
}

/// True when any diagnostic is an error.
#[must_use]
pub(crate) fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// Closest candidate by Jaro-Winkler similarity, for "did you mean".
#[must_use]
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique() {
        let names: BTreeSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn lines_come_from_the_index() {
        let mut map = SourceMap::new();
        let file = map.add("f", "ab\ncé d\n\nx");
        for offset in (0..=12).filter(|&o| map.text(file).is_char_boundary(o)) {
            let loc = Loc::new(file, offset..offset);
            assert_eq!(map.line(&loc), line_col(map.text(file), offset).0, "{offset}");
        }
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn suggestion_picks_closest() {
        assert_eq!(did_you_mean("emial", ["email", "phone"]), Some("email"));
        assert_eq!(did_you_mean("zzz", ["email", "phone"]), None);
    }
}
