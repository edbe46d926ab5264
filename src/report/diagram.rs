//! Diagrams of an exposure (stated facts → derived facts → controls → frameworks) or of
//! the catalog, as Graphviz DOT and as Mermaid. Both renderers draw the same
//! [`Diagram`]; node ids are generated (`n0`, `n1`, …), never taken from input, and
//! every label is escaped for its format, so text in a catalog or an incident cannot
//! add nodes, edges or markup.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use crate::evaluate::{Exposure, Status};
use crate::facts::Origin;
use crate::graph::CatalogGraph;
use crate::rule::{Env, Outcome, Term};

/// How a node is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// A fact stated in the incident.
    Stated,
    /// A fact derived through `implies`.
    Derived,
    /// A fact that is false or unknown by default.
    Default,
    /// An unknown fact that decides something.
    Question,
    /// A framework or control that applies.
    Applies,
    /// A framework or control that may apply.
    MayApply,
    /// A framework that does not apply, or a catalog item.
    Neutral,
}

/// How an edge is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Line {
    /// `implies`.
    Implies,
    /// A fact that makes an item apply.
    Because,
    /// An unknown fact that decides an item.
    Decides,
    /// A `related` link.
    Related,
}

/// A node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Shown text.
    pub label: String,
    /// Look.
    pub style: Style,
    /// The framework cluster it belongs to, if any.
    pub cluster: Option<usize>,
}

/// A diagram: nodes, edges and framework clusters.
#[derive(Debug, Clone, Default)]
pub(crate) struct Diagram {
    /// Nodes, by index.
    pub nodes: Vec<Node>,
    /// Edges between node indices.
    pub edges: Vec<(usize, usize, Line)>,
    /// Cluster labels, by index.
    pub clusters: Vec<(String, Style)>,
    index: BTreeMap<String, usize>,
    /// The edges already drawn, to draw each once in constant time.
    drawn: HashSet<(usize, usize, Line)>,
}

impl Diagram {
    fn node(&mut self, key: &str, label: String, style: Style, cluster: Option<usize>) -> usize {
        if let Some(&i) = self.index.get(key) {
            return i;
        }
        self.nodes.push(Node { label, style, cluster });
        self.index.insert(key.to_owned(), self.nodes.len() - 1);
        self.nodes.len() - 1
    }

    fn edge(&mut self, from: usize, to: usize, line: Line) {
        if self.drawn.insert((from, to, line)) {
            self.edges.push((from, to, line));
        }
    }

    /// The exposure of an incident: frameworks and controls that apply or may apply,
    /// the facts that make them so, and the open questions.
    #[must_use]
    pub(crate) fn of_exposure(e: &Exposure<'_>) -> Diagram {
        let mut d = Diagram::default();
        let tax = &e.catalog.taxonomy;
        // A fact whose chain is drawn is not drawn again: every fact of a chain is
        // drawn with the chain, so each chain is walked once.
        let mut chained: HashMap<crate::taxonomy::FactId, usize> = HashMap::new();
        let mut fact_node = |d: &mut Diagram, term: &Term| -> usize {
            match term {
                Term::Fact(f) => {
                    if let Some(&n) = chained.get(f) {
                        return n;
                    }
                    let path = e.values.path(*f);
                    let mut previous = None;
                    for step in &path {
                        let fact = tax.fact(*step);
                        let state = e.values.state(*step);
                        let style = match (state.origin, state.value) {
                            (_, crate::truth::Truth::Unknown) => Style::Question,
                            (Origin::Stated(_), _) => Style::Stated,
                            (Origin::Implied(_), _) if matches!(e.values.root_origin(*step), Origin::Stated(_)) => {
                                Style::Derived
                            }
                            _ => Style::Default,
                        };
                        let label = format!("{} = {}", fact.key, state.value);
                        let n = d.node(&fact.key, label, style, None);
                        if let Some(p) = previous {
                            let (from, to) = if state.value == crate::truth::Truth::False {
                                (n, p)
                            } else {
                                (p, n)
                            };
                            d.edge(from, to, Line::Implies);
                        }
                        chained.insert(*step, n);
                        previous = Some(n);
                    }
                    previous.unwrap_or(0)
                }
                Term::Number(name) => {
                    let value = e
                        .values
                        .number(name)
                        .map_or_else(|| "unknown".to_owned(), |n| n.to_string());
                    let style = if e.values.numbers().contains_key(name) {
                        Style::Stated
                    } else {
                        Style::Question
                    };
                    d.node(name, format!("{name} = {value}"), style, None)
                }
            }
        };
        let mut link = |d: &mut Diagram, outcome: &Outcome, open: &std::collections::BTreeSet<Term>, target: usize| {
            for t in &outcome.because {
                let is_true = match t {
                    Term::Fact(f) => e.values.state(*f).value == crate::truth::Truth::True,
                    Term::Number(_) => true,
                };
                if is_true {
                    let n = fact_node(d, t);
                    d.edge(n, target, Line::Because);
                }
            }
            for t in open {
                let n = fact_node(d, t);
                d.edge(n, target, Line::Decides);
            }
        };
        for f in e.frameworks.iter().filter(|f| f.status != Status::NotApplicable) {
            let style = status_style(f.status);
            d.clusters
                .push((format!("{} ({})", f.framework.title, f.status.as_str()), style));
            let cluster = Some(d.clusters.len() - 1);
            let fw = d.node(
                &format!("framework {}", f.framework.id),
                f.framework.id.to_string(),
                style,
                cluster,
            );
            link(&mut d, f.scope(), &f.scope().open, fw);
            for c in &f.controls {
                let label = format!("{} {}", c.control.id, c.control.title);
                let cn = d.node(
                    &format!("control {}", c.control.id),
                    label,
                    status_style(c.status),
                    cluster,
                );
                let own_open = c
                    .questions
                    .iter()
                    .filter(|t| !f.scope().open.contains(t))
                    .cloned()
                    .collect();
                link(&mut d, &c.when, &own_open, cn);
            }
        }
        d
    }

    /// The catalog: frameworks with their controls, the facts their rules read, and
    /// `related` links, as the catalog graph holds them.
    #[must_use]
    pub(crate) fn of_catalog(graph: &CatalogGraph<'_>) -> Diagram {
        let mut d = Diagram::default();
        let catalog = graph.catalog();
        let tax = &catalog.taxonomy;
        let facts = |d: &mut Diagram, id: &str, to: usize| {
            for fact in graph.triggered_by(id) {
                let key = &tax.fact(fact).key;
                let n = d.node(key, key.clone(), Style::Default, None);
                d.edge(n, to, Line::Because);
            }
        };
        for f in &catalog.frameworks {
            d.clusters.push((f.title.clone(), Style::Neutral));
            let cluster = Some(d.clusters.len() - 1);
            let fw = d.node(
                &format!("framework {}", f.id),
                f.id.to_string(),
                Style::Neutral,
                cluster,
            );
            facts(&mut d, &f.id, fw);
            for c in graph.controls_of(&f.id) {
                let cn = d.node(
                    &format!("control {}", c.id),
                    format!("{} {}", c.id, c.title),
                    Style::Neutral,
                    cluster,
                );
                facts(&mut d, &c.id, cn);
            }
        }
        for (from, to) in graph.related_pairs() {
            let (Some(&a), Some(&b)) = (
                d.index.get(&format!("control {from}")),
                d.index.get(&format!("control {to}")),
            ) else {
                continue;
            };
            d.edge(a, b, Line::Related);
        }
        d
    }

    /// Graphviz DOT.
    #[must_use]
    pub(crate) fn dot(&self) -> String {
        let mut out = String::from(
            "digraph ctrlmap {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
        );
        for (i, (label, style)) in self.clusters.iter().enumerate() {
            let _ = writeln!(
                out,
                "  subgraph cluster_{i} {{\n    label=\"{}\";\n    style=filled;\n    fillcolor=\"{}\";",
                dot_escape(label),
                cluster_colour(*style)
            );
            for (n, node) in self.nodes.iter().enumerate().filter(|(_, n)| n.cluster == Some(i)) {
                let _ = writeln!(
                    out,
                    "    n{n} [label=\"{}\", fillcolor=\"{}\"];",
                    dot_escape(&node.label),
                    colour(node.style)
                );
            }
            out.push_str("  }\n");
        }
        for (n, node) in self.nodes.iter().enumerate().filter(|(_, n)| n.cluster.is_none()) {
            let dashed = if node.style == Style::Question {
                ", style=\"rounded,filled,dashed\""
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  n{n} [label=\"{}\", fillcolor=\"{}\"{dashed}];",
                dot_escape(&node.label),
                colour(node.style)
            );
        }
        for (a, b, line) in &self.edges {
            let attrs = match line {
                Line::Implies => "[label=\"implies\"]",
                Line::Because => "[color=\"#555555\"]",
                Line::Decides => "[style=dashed, label=\"?\"]",
                Line::Related => "[style=dotted, dir=none]",
            };
            let _ = writeln!(out, "  n{a} -> n{b} {attrs};");
        }
        out.push_str("}\n");
        out
    }

    /// Mermaid flowchart.
    #[must_use]
    pub(crate) fn mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        for (i, (label, _)) in self.clusters.iter().enumerate() {
            let _ = writeln!(out, "  subgraph c{i}[\"{}\"]", mermaid_escape(label));
            for (n, node) in self.nodes.iter().enumerate().filter(|(_, n)| n.cluster == Some(i)) {
                let _ = writeln!(
                    out,
                    "    n{n}[\"{}\"]:::{}",
                    mermaid_escape(&node.label),
                    class(node.style)
                );
            }
            out.push_str("  end\n");
        }
        for (n, node) in self.nodes.iter().enumerate().filter(|(_, n)| n.cluster.is_none()) {
            let _ = writeln!(
                out,
                "  n{n}[\"{}\"]:::{}",
                mermaid_escape(&node.label),
                class(node.style)
            );
        }
        for (a, b, line) in &self.edges {
            let arrow = match line {
                Line::Implies => "-- implies -->",
                Line::Because => "-->",
                Line::Decides => "-. ? .->",
                Line::Related => "---",
            };
            let _ = writeln!(out, "  n{a} {arrow} n{b}");
        }
        for style in [
            Style::Stated,
            Style::Derived,
            Style::Default,
            Style::Question,
            Style::Applies,
            Style::MayApply,
            Style::Neutral,
        ] {
            let dash = if style == Style::Question {
                ",stroke-dasharray: 4 2"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  classDef {} fill:{},stroke:#555555{dash}",
                class(style),
                colour(style)
            );
        }
        out
    }
}

fn status_style(status: Status) -> Style {
    match status {
        Status::Applies => Style::Applies,
        Status::MayApply => Style::MayApply,
        Status::NotApplicable => Style::Neutral,
    }
}

fn colour(style: Style) -> &'static str {
    match style {
        Style::Stated => "#cfe2f3",
        Style::Derived => "#d9ead3",
        Style::Default => "#eeeeee",
        Style::Question => "#ffffff",
        Style::Applies => "#f4cccc",
        Style::MayApply => "#fff2cc",
        Style::Neutral => "#f3f3f3",
    }
}

fn cluster_colour(style: Style) -> &'static str {
    match style {
        Style::Applies => "#fbeaea",
        Style::MayApply => "#fffaeb",
        _ => "#fafafa",
    }
}

fn class(style: Style) -> &'static str {
    match style {
        Style::Stated => "stated",
        Style::Derived => "derived",
        Style::Default => "default",
        Style::Question => "question",
        Style::Applies => "applies",
        Style::MayApply => "mayapply",
        Style::Neutral => "neutral",
    }
}

/// Escapes a DOT quoted string: backslashes, quotes and line breaks.
#[must_use]
pub(crate) fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' => out.push(' '),
            c if crate::text::is_unsafe(c) => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a Mermaid quoted label with entity codes, so that quotes, brackets, markup
/// and Markdown in the text stay text.
#[must_use]
pub(crate) fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '(' => out.push_str("#40;"),
            ')' => out.push_str("#41;"),
            '\n' | '\r' => out.push(' '),
            c if crate::text::is_unsafe(c) => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out() {
        let evil = "x\"]; n9 -> n1 [label=\"pwned";
        let d = dot_escape(evil);
        let unescaped = d
            .char_indices()
            .filter(|(i, c)| *c == '"' && !d[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 0, "{d}");
        let m = mermaid_escape("a\"] --> n1[\"<script>`**x**`");
        assert!(
            !m.contains('"') && !m.contains('<') && !m.contains('[') && !m.contains('`'),
            "{m}"
        );
    }
}
