//! The catalog's relations between items as one graph (DESIGN §5.2): facts, frameworks,
//! controls and obligations as nodes; `triggers` (a fact → the item whose own rule
//! reads it), `contains` (framework → control → obligation), `related` (control →
//! control) and `same_as` (obligation ↔ obligation) as edges.
//!
//! Everything that walks these relations walks this graph: the consolidated checklist
//! (`same_as` groups), a control's links in both directions (the report and `map`),
//! and the picture of the catalog (`ctrlmap graph`). petgraph stays inside: callers
//! speak in ids and borrowed catalog items, never node indices.
//!
//! Two relations stay outside, on purpose:
//! - `implies` between facts lives in the taxonomy's adjacency lists (forward and
//!   backward). It is validated, cycles included, when the taxonomy is built, before
//!   any catalog exists to build this graph from; and closing an incident's facts walks
//!   it for every incident, where two plain vectors per fact are the cheapest walk.
//! - Chained deadlines (`from = "other:obligation"`) are checked for cycles while the
//!   frameworks are validated, also before this graph exists; the clock follows each
//!   chain by id when it computes a due time.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;

use crate::model::{Catalog, Control, Framework, Obligation, Related, Relation};
use crate::taxonomy::FactId;

/// A node: a fact, or a borrowed catalog item.
#[derive(Debug, Clone, Copy)]
enum Node<'c> {
    Fact(FactId),
    Framework(&'c Framework),
    Control(&'c Control),
    Obligation(&'c Obligation),
}

/// An edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// Fact → framework, control or obligation whose own rule reads it.
    Triggers,
    /// Framework → control → obligation.
    Contains,
    /// Control → related control, as declared.
    Related(Relation),
    /// Obligation ↔ obligation satisfied by the same action (stored once, as declared).
    SameAs,
}

/// The catalog graph, borrowing the catalog it was built from.
pub struct CatalogGraph<'c> {
    catalog: &'c Catalog,
    graph: DiGraph<Node<'c>, Edge>,
    /// Facts are the first nodes, in id order, so a fact's node index is its id; this
    /// index holds the items, by full id.
    items: HashMap<&'c str, NodeIndex>,
    /// `same_as` groups, computed once.
    groups: Vec<Vec<String>>,
    /// Each obligation's group, by its index in `groups`.
    group_of: HashMap<&'c str, usize>,
    /// Each control's links in both directions, as seen from it, computed once.
    links: HashMap<&'c str, Vec<Related>>,
    /// The place facts that framework scopes name positively, for coverage.
    places: BTreeSet<FactId>,
}

impl<'c> CatalogGraph<'c> {
    /// Builds the graph of a validated catalog.
    #[must_use]
    pub fn build(catalog: &'c Catalog) -> CatalogGraph<'c> {
        let facts = catalog.taxonomy.facts().len();
        let nodes = facts + catalog.frameworks.len() + catalog.controls().count() + catalog.obligations().count();
        let mut g = CatalogGraph {
            catalog,
            graph: DiGraph::with_capacity(nodes, nodes),
            items: HashMap::with_capacity(nodes - facts),
            groups: Vec::new(),
            group_of: HashMap::new(),
            links: HashMap::new(),
            places: crate::coverage::named_places(catalog),
        };
        for i in 0..facts {
            g.graph.add_node(Node::Fact(FactId::from_index(i)));
        }
        for f in &catalog.frameworks {
            let fw = g.item(&f.id, Node::Framework(f));
            g.triggers(f.scope.as_ref(), fw);
            for c in &f.controls {
                let cn = g.item(&c.id, Node::Control(c));
                g.graph.add_edge(fw, cn, Edge::Contains);
                g.triggers(c.when.as_ref(), cn);
                for o in &c.obligations {
                    let on = g.item(&o.id, Node::Obligation(o));
                    g.graph.add_edge(cn, on, Edge::Contains);
                    g.triggers(o.when.as_ref(), on);
                }
            }
        }
        // References are added once every item exists.
        for c in catalog.controls() {
            for r in &c.related {
                g.edge(&c.id, &r.to, Edge::Related(r.relation));
            }
        }
        for o in catalog.obligations() {
            for s in &o.same_as {
                g.edge(&o.id, s, Edge::SameAs);
            }
        }
        g.groups = g.compute_same_as_groups();
        for (i, group) in g.groups.iter().enumerate() {
            for id in group {
                if let Some(o) = g.obligation(id) {
                    g.group_of.insert(o.id.as_str(), i);
                }
            }
        }
        g.links = g.compute_links();
        g
    }

    fn item(&mut self, id: &'c str, node: Node<'c>) -> NodeIndex {
        let ix = self.graph.add_node(node);
        self.items.insert(id, ix);
        ix
    }

    fn triggers(&mut self, rule: Option<&crate::rule::Rule>, item: NodeIndex) {
        for fact in rule.iter().flat_map(|r| r.facts()) {
            self.graph
                .update_edge(NodeIndex::new(fact.index()), item, Edge::Triggers);
        }
    }

    fn edge(&mut self, from: &str, to: &str, edge: Edge) {
        if let (Some(&a), Some(&b)) = (self.items.get(from), self.items.get(to)) {
            // Two controls may be linked by more than one relation: parallel edges.
            self.graph.add_edge(a, b, edge);
        }
    }

    /// The obligation with id `id`, if the catalog has one.
    #[must_use]
    pub fn obligation(&self, id: &str) -> Option<&'c Obligation> {
        match self.graph[*self.items.get(id)?] {
            Node::Obligation(o) => Some(o),
            _ => None,
        }
    }

    /// The place facts (`residency:` and `established:`) that framework scopes name
    /// outside any `not`: what the catalog speaks to (see `coverage`).
    #[must_use]
    pub fn named_places(&self) -> &BTreeSet<FactId> {
        &self.places
    }

    /// The catalog the graph was built from.
    #[must_use]
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// Groups of obligations that `same_as` links, directly or through others; each
    /// group sorted, groups sorted by their first id. Obligations without links are
    /// groups of one.
    #[must_use]
    pub fn same_as_groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// The index in [`CatalogGraph::same_as_groups`] of obligation `id`'s group.
    #[must_use]
    pub fn same_as_group(&self, id: &str) -> Option<usize> {
        self.group_of.get(id).copied()
    }

    fn compute_same_as_groups(&self) -> Vec<Vec<String>> {
        let mut uf = UnionFind::<usize>::new(self.graph.node_count());
        for e in self.graph.edge_references() {
            if *e.weight() == Edge::SameAs {
                uf.union(e.source().index(), e.target().index());
            }
        }
        let mut groups: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        for ix in self.graph.node_indices() {
            if let Node::Obligation(o) = self.graph[ix] {
                groups.entry(uf.find(ix.index())).or_default().insert(o.id.to_string());
            }
        }
        let mut out: Vec<Vec<String>> = groups.into_values().map(|g| g.into_iter().collect()).collect();
        out.sort();
        out
    }

    /// A control's `related` links in both directions, as seen from it (a `subset-of`
    /// declared on the other control reads `superset-of`), sorted by target.
    #[must_use]
    pub fn links(&self, control: &str) -> &[Related] {
        self.links.get(control).map_or(&[], Vec::as_slice)
    }

    fn compute_links(&self) -> HashMap<&'c str, Vec<Related>> {
        let mut links: HashMap<&'c str, Vec<Related>> = HashMap::new();
        for e in self.graph.edge_references() {
            let Edge::Related(relation) = *e.weight() else { continue };
            let (Node::Control(from), Node::Control(to)) = (self.graph[e.source()], self.graph[e.target()]) else {
                continue;
            };
            // The declaration carries the rationale, confidence and place.
            let Some(declared) = from.related.iter().find(|r| r.to == to.id && r.relation == relation) else {
                continue;
            };
            links.entry(&from.id).or_default().push(declared.clone());
            links.entry(&to.id).or_default().push(Related {
                to: from.id.clone(),
                relation: relation.inverse(),
                ..declared.clone()
            });
        }
        for list in links.values_mut() {
            list.sort_by(|a, b| (&a.to, a.relation).cmp(&(&b.to, b.relation)));
            list.dedup_by(|a, b| a.to == b.to && a.relation == b.relation);
        }
        links
    }

    /// The facts whose atoms an item's own rule (scope or `when`) reads, in id order.
    #[must_use]
    pub fn triggered_by(&self, id: &str) -> Vec<FactId> {
        let Some(&ix) = self.items.get(id) else {
            return Vec::new();
        };
        let mut facts: Vec<FactId> = self
            .graph
            .edges_directed(ix, Direction::Incoming)
            .filter(|e| *e.weight() == Edge::Triggers)
            .filter_map(|e| match self.graph[e.source()] {
                Node::Fact(f) => Some(f),
                _ => None,
            })
            .collect();
        facts.sort();
        facts
    }

    /// The controls a framework contains, in id order.
    #[must_use]
    pub fn controls_of(&self, framework: &str) -> Vec<&'c Control> {
        let Some(&ix) = self.items.get(framework) else {
            return Vec::new();
        };
        let mut controls: Vec<&'c Control> = self
            .graph
            .edges_directed(ix, Direction::Outgoing)
            .filter(|e| *e.weight() == Edge::Contains)
            .filter_map(|e| match self.graph[e.target()] {
                Node::Control(c) => Some(c),
                _ => None,
            })
            .collect();
        controls.sort_by(|a, b| a.id.cmp(&b.id));
        controls
    }

    /// Every `related` link as declared: (from, to), in catalog order.
    #[must_use]
    pub fn related_pairs(&self) -> Vec<(&'c str, &'c str)> {
        let mut pairs: Vec<(&'c str, &'c str)> = self
            .graph
            .edge_references()
            .filter(|e| matches!(e.weight(), Edge::Related(_)))
            .filter_map(|e| match (self.graph[e.source()], self.graph[e.target()]) {
                (Node::Control(a), Node::Control(b)) => Some((a.id.as_str(), b.id.as_str())),
                _ => None,
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// Checks internal consistency: every item indexed at its node, every edge between
    /// nodes of the right sorts.
    #[doc(hidden)]
    pub fn verify(&self) -> Result<(), String> {
        let facts = self.catalog.taxonomy.facts().len();
        if self.items.len() + facts != self.graph.node_count() {
            return Err("index and graph disagree".to_owned());
        }
        for ix in self.graph.node_indices() {
            let at_place = match self.graph[ix] {
                Node::Fact(f) => f.index() == ix.index(),
                Node::Framework(f) => self.items.get(f.id.as_str()) == Some(&ix),
                Node::Control(c) => self.items.get(c.id.as_str()) == Some(&ix),
                Node::Obligation(o) => self.items.get(o.id.as_str()) == Some(&ix),
            };
            if !at_place {
                return Err(format!("{:?} is not indexed at its place", self.graph[ix]));
            }
        }
        for e in self.graph.edge_references() {
            let (a, b) = (self.graph[e.source()], self.graph[e.target()]);
            let ok = match e.weight() {
                Edge::Triggers => matches!(a, Node::Fact(_)) && !matches!(b, Node::Fact(_)),
                Edge::Contains => matches!(
                    (a, b),
                    (Node::Framework(_), Node::Control(_)) | (Node::Control(_), Node::Obligation(_))
                ),
                Edge::Related(_) => matches!((a, b), (Node::Control(_), Node::Control(_))),
                Edge::SameAs => matches!((a, b), (Node::Obligation(_), Node::Obligation(_))),
            };
            if !ok {
                return Err(format!("edge {:?} from {a:?} to {b:?}", e.weight()));
            }
        }
        Ok(())
    }
}

impl Relation {
    /// The same relation read from the other end.
    #[must_use]
    pub fn inverse(self) -> Relation {
        match self {
            Relation::SubsetOf => Relation::SupersetOf,
            Relation::SupersetOf => Relation::SubsetOf,
            other => other,
        }
    }
}
