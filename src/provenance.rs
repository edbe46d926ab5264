//! Provenance: where a fact's or a number's value came from, for every command that
//! says so (the report's reasons and facts, `explain`, `draft`).
//!
//! A value is stated in the incident file (with its field and place), assumed on the
//! command line (`--assume`), derived from another fact through `implies` (with the
//! chain back to what was stated), or the default of its kind's world. Facts and
//! numbers share this one model and the words that describe it.

use std::fmt::Write as _;

use crate::diag::{Loc, SourceMap};
use crate::facts::{FactValues, Origin};
use crate::incident::{Decision, Source};
use crate::rule::{Env, Term};
use crate::taxonomy::{FactId, Taxonomy};
use crate::truth::Truth;

/// Where a value comes from, in the words of the JSON report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SourceKind {
    Stated,
    Assumed,
    Derived,
    Default,
}

impl SourceKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SourceKind::Stated => "stated",
            SourceKind::Assumed => "assumed",
            SourceKind::Derived => "derived",
            SourceKind::Default => "default",
        }
    }
}

/// A fact or number, its value and where the value came from.
pub(crate) struct FactView {
    pub(crate) key: String,
    pub(crate) title: String,
    pub(crate) value: String,
    pub(crate) source: SourceKind,
    /// For derived facts: the fact it follows from.
    pub(crate) from: Option<String>,
    /// The first fact of the chain to this one (this one when it is not derived); the
    /// whole chain is walked only where it is shown ([`chain`]).
    pub(crate) root_key: String,
    /// For stated values: the incident field and line.
    pub(crate) field: Option<(String, Option<usize>)>,
    /// For stated values, and values derived from one: where the stated value is written.
    pub(crate) loc: Option<Loc>,
    /// How the root got its value, in words.
    pub(crate) root: String,
    /// The alias the incident wrote for the stated fact, if it used one.
    pub(crate) written_as: Option<String>,
    /// Who decided the stated value, when and why, if the incident records it.
    pub(crate) decision: Option<Decision>,
}

impl FactView {
    /// Where the value came from, in a few words, for a table of facts.
    pub(crate) fn source_words(&self, code: impl Fn(&str) -> String) -> String {
        let words = self.origin_words(code);
        match &self.decision {
            Some(d) => format!("{words}; {}", decision_words(d)),
            None => words,
        }
    }

    fn origin_words(&self, code: impl Fn(&str) -> String) -> String {
        match (self.source, &self.field, &self.from) {
            (SourceKind::Stated, Some((field, Some(line))), _) => match &self.written_as {
                Some(alias) => format!("stated in {field} (line {line}), written {}", code(alias)),
                None => format!("stated in {field} (line {line})"),
            },
            (SourceKind::Stated, Some((field, None)), _) => format!("stated in {field}"),
            (SourceKind::Derived, _, Some(from)) => format!("derived from {}", code(from)),
            (SourceKind::Assumed, _, _) => "assumed with --assume".to_owned(),
            _ => "not stated (default of its kind)".to_owned(),
        }
    }
}

/// Where a root value came from: the parts of a [`FactView`] that say so.
struct Root {
    source: SourceKind,
    field: Option<(String, Option<usize>)>,
    loc: Option<Loc>,
    words: String,
}

impl Root {
    /// A value stated in `source`, or assumed.
    fn stated(source: &Source, map: &SourceMap) -> Root {
        match source.loc() {
            Some(loc) => {
                let line = map.line(loc);
                Root {
                    source: SourceKind::Stated,
                    field: Some((source.field().to_owned(), Some(line))),
                    loc: Some(loc.clone()),
                    words: format!("stated in {} (line {line})", source.field()),
                }
            }
            None => Root {
                source: SourceKind::Assumed,
                field: Some((source.field().to_owned(), None)),
                loc: None,
                words: "assumed with --assume".to_owned(),
            },
        }
    }

    /// A value nobody stated.
    fn default(words: String) -> Root {
        Root {
            source: SourceKind::Default,
            field: None,
            loc: None,
            words,
        }
    }
}

/// Where a fact's value came from. Constant time: the chain is not walked.
pub(crate) fn fact(taxonomy: &Taxonomy, values: &FactValues, map: &SourceMap, fact: FactId) -> FactView {
    let state = values.state(fact);
    let first = values.root(fact);
    let mut written_as = None;
    let mut decision = None;
    let root = if let Origin::Stated(i) = values.root_origin(fact) {
        let statement = values.statement(i);
        let mut root = Root::stated(&statement.source, map);
        if let Some(alias) = &statement.written_as {
            let _ = write!(root.words, ", written `{alias}`");
            written_as = Some(alias.clone());
        }
        if let Some(d) = &statement.decision {
            let _ = write!(root.words, ", {}", decision_words(d));
            decision = Some(d.clone());
        }
        root
    } else {
        let words = if values.state(first).value == Truth::False {
            "not stated, so false (closed world)"
        } else {
            "not stated, so unknown (open world)"
        };
        Root::default(words.to_owned())
    };
    let from = match state.origin {
        Origin::Implied(previous) => Some(taxonomy.fact(previous).key.clone()),
        _ => None,
    };
    let derived = from.is_some();
    FactView {
        key: taxonomy.fact(fact).key.clone(),
        title: taxonomy.fact(fact).title.clone(),
        value: state.value.as_str().to_owned(),
        source: if derived && root.source == SourceKind::Stated {
            SourceKind::Derived
        } else {
            root.source
        },
        from,
        root_key: taxonomy.fact(first).key.clone(),
        field: if derived { None } else { root.field },
        loc: root.loc,
        root: root.words,
        written_as: if derived { None } else { written_as },
        decision: if derived { None } else { decision },
    }
}

/// A decision in words: `decided by DPO on 2026-11-14 08:00 UTC: why`.
pub(crate) fn decision_words(d: &Decision) -> String {
    let mut text = String::from("decided");
    // Who and why are the incident's own words, shown in Markdown.
    let escape = crate::report::markdown::escape;
    if let Some(by) = &d.by {
        let _ = write!(text, " by {}", escape(by));
    }
    if let Some(at) = d.at {
        let _ = write!(text, " on {}", crate::report::utc_and_local(at, None));
    }
    if let Some(why) = &d.why {
        let _ = write!(text, ": {}", escape(why));
    }
    text
}

/// The chain of facts from where a value came from to `term`, as keys: the fact alone
/// when it is not derived, and a number alone.
pub(crate) fn chain(taxonomy: &Taxonomy, values: &FactValues, term: &Term) -> Vec<String> {
    match term {
        Term::Fact(f) => values.path(*f).iter().map(|f| taxonomy.fact(*f).key.clone()).collect(),
        Term::Number(name) => vec![name.clone()],
    }
}

/// Where a number's value came from.
pub(crate) fn number(taxonomy: &Taxonomy, values: &FactValues, map: &SourceMap, name: &str) -> FactView {
    let given = values.numbers().get(name);
    let value = values.number(name);
    let root = match given {
        Some(n) => Root::stated(&n.source, map),
        None => Root::default(format!("`{name}` is not given")),
    };
    FactView {
        key: name.to_owned(),
        title: taxonomy.number_title(name),
        value: value.map_or_else(|| "unknown".to_owned(), |n| n.to_string()),
        source: root.source,
        from: None,
        root_key: name.to_owned(),
        field: root.field,
        loc: root.loc,
        root: root.words,
        written_as: None,
        decision: None,
    }
}

/// Where a fact's or number's value came from.
pub(crate) fn term(taxonomy: &Taxonomy, values: &FactValues, map: &SourceMap, term: &Term) -> FactView {
    match term {
        Term::Fact(f) => fact(taxonomy, values, map, *f),
        Term::Number(name) => number(taxonomy, values, map, name),
    }
}
