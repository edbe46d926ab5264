//! The catalog as one graph (DESIGN §5.2): facts, frameworks, controls and obligations
//! as nodes; `implies`, `triggers`, `contains`, `related`, `same_as` and `counts-from`
//! (chained deadlines) as edges.
//!
//! petgraph stays behind [`CatalogGraph`]: callers speak in fact ids and item ids and
//! never see node indices. The graph is built from the sorted catalog, so node and edge
//! order, and everything derived from them, are the same on every run.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;

use crate::deadline::Start;
use crate::model::{Catalog, Related, Relation};
use crate::taxonomy::FactId;

/// A node of the catalog graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    /// A fact of the taxonomy.
    Fact(FactId),
    /// A framework, by id.
    Framework(String),
    /// A control, by full id.
    Control(String),
    /// An obligation, by full id.
    Obligation(String),
}

/// An edge of the catalog graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Fact → fact it implies.
    Implies,
    /// Fact → framework, control or obligation whose rule mentions it.
    Triggers,
    /// Framework → control → obligation.
    Contains,
    /// Control → related control.
    Related(Relation),
    /// Obligation ↔ obligation satisfied by the same action (stored once, as declared).
    SameAs,
    /// Obligation → obligation whose deadline counts from it.
    CountsFrom,
}

/// The catalog graph.
pub struct CatalogGraph {
    graph: DiGraph<Node, Edge>,
    /// Facts are the first nodes, in id order, so a fact's node index is its id; this
    /// index holds the other nodes.
    index: HashMap<Node, NodeIndex>,
    facts: usize,
    /// `same_as` groups, computed once.
    groups: Vec<Vec<String>>,
    /// Each control's links in both directions, as seen from it, computed once.
    links: HashMap<String, Vec<Related>>,
}

impl CatalogGraph {
    /// Builds the graph of a validated catalog.
    #[must_use]
    pub fn build(catalog: &Catalog) -> CatalogGraph {
        let nodes = catalog.taxonomy.facts().len()
            + catalog.frameworks.len()
            + catalog.controls().count()
            + catalog.obligations().count();
        let mut g = CatalogGraph {
            graph: DiGraph::with_capacity(nodes, nodes),
            index: HashMap::with_capacity(nodes),
            facts: catalog.taxonomy.facts().len(),
            groups: Vec::new(),
            links: HashMap::new(),
        };
        let taxonomy = &catalog.taxonomy;
        for i in 0..taxonomy.facts().len() {
            g.graph.add_node(Node::Fact(FactId::from_index(i)));
        }
        for (i, fact) in taxonomy.facts().iter().enumerate() {
            for t in &fact.implies {
                g.edge(&Node::Fact(FactId::from_index(i)), &Node::Fact(*t), Edge::Implies);
            }
        }
        for f in &catalog.frameworks {
            g.node(Node::Framework(f.id.clone()));
            for fact in f.scope.iter().flat_map(crate::rule::Rule::facts) {
                g.edge(&Node::Fact(fact), &Node::Framework(f.id.clone()), Edge::Triggers);
            }
            for c in &f.controls {
                let cn = Node::Control(c.id.clone());
                g.node(cn.clone());
                g.edge(&Node::Framework(f.id.clone()), &cn, Edge::Contains);
                for fact in c.when.iter().flat_map(crate::rule::Rule::facts) {
                    g.edge(&Node::Fact(fact), &cn, Edge::Triggers);
                }
                for o in &c.obligations {
                    let on = Node::Obligation(o.id.clone());
                    g.node(on.clone());
                    g.edge(&cn, &on, Edge::Contains);
                    for fact in o.when.iter().flat_map(crate::rule::Rule::facts) {
                        g.edge(&Node::Fact(fact), &on, Edge::Triggers);
                    }
                }
            }
        }
        // References are added once every item exists.
        for c in catalog.controls() {
            for r in &c.related {
                g.edge(
                    &Node::Control(c.id.clone()),
                    &Node::Control(r.to.clone()),
                    Edge::Related(r.relation),
                );
            }
        }
        for o in catalog.obligations() {
            for s in &o.same_as {
                g.edge(
                    &Node::Obligation(o.id.clone()),
                    &Node::Obligation(s.clone()),
                    Edge::SameAs,
                );
            }
            for alt in o.deadline.iter().flat_map(|d| d.alternatives.iter()) {
                if let Start::Obligation(from) = &alt.from {
                    g.edge(
                        &Node::Obligation(from.clone()),
                        &Node::Obligation(o.id.clone()),
                        Edge::CountsFrom,
                    );
                }
            }
        }
        g.groups = g.compute_same_as_groups();
        for c in catalog.controls() {
            for r in &c.related {
                g.links.entry(c.id.clone()).or_default().push(r.clone());
                g.links.entry(r.to.clone()).or_default().push(Related {
                    to: c.id.clone(),
                    relation: r.relation.inverse(),
                    ..r.clone()
                });
            }
        }
        for links in g.links.values_mut() {
            links.sort_by(|a, b| (&a.to, a.relation).cmp(&(&b.to, b.relation)));
            links.dedup_by(|a, b| a.to == b.to && a.relation == b.relation);
        }
        g
    }

    /// A control's `related` links in both directions, as seen from it (a `subset-of`
    /// declared on the other control reads `superset-of`), sorted by target.
    #[must_use]
    pub fn links(&self, control: &str) -> &[Related] {
        self.links.get(control).map_or(&[], Vec::as_slice)
    }

    fn node(&mut self, node: Node) -> NodeIndex {
        if let Some(ix) = self.lookup(&node) {
            return ix;
        }
        let ix = self.graph.add_node(node.clone());
        self.index.insert(node, ix);
        ix
    }

    fn lookup(&self, node: &Node) -> Option<NodeIndex> {
        match node {
            Node::Fact(f) => (f.index() < self.facts).then(|| NodeIndex::new(f.index())),
            other => self.index.get(other).copied(),
        }
    }

    fn edge(&mut self, from: &Node, to: &Node, edge: Edge) {
        if let (Some(a), Some(b)) = (self.lookup(from), self.lookup(to)) {
            self.graph.update_edge(a, b, edge);
        }
    }

    /// Groups of obligations that `same_as` links, directly or through others; each
    /// group sorted, groups sorted by their first id. Obligations without links are
    /// groups of one.
    #[must_use]
    pub fn same_as_groups(&self) -> &[Vec<String>] {
        &self.groups
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
            if let Node::Obligation(id) = &self.graph[ix] {
                groups.entry(uf.find(ix.index())).or_default().insert(id.clone());
            }
        }
        let mut out: Vec<Vec<String>> = groups.into_values().map(|g| g.into_iter().collect()).collect();
        out.sort();
        out
    }

    /// Node and edge counts, for `list` and tests.
    #[must_use]
    pub fn size(&self) -> (usize, usize) {
        (self.graph.node_count(), self.graph.edge_count())
    }

    /// Checks internal consistency: every node indexed once, every edge between
    /// nodes of the right sorts.
    #[doc(hidden)]
    pub fn verify(&self) -> Result<(), String> {
        if self.index.len() + self.facts != self.graph.node_count() {
            return Err("index and graph disagree".to_owned());
        }
        for ix in self.graph.node_indices() {
            if self.lookup(&self.graph[ix]) != Some(ix) {
                return Err(format!("{:?} is not indexed at its place", self.graph[ix]));
            }
        }
        for e in self.graph.edge_references() {
            let (a, b) = (&self.graph[e.source()], &self.graph[e.target()]);
            let ok = match e.weight() {
                Edge::Implies => matches!((a, b), (Node::Fact(_), Node::Fact(_))),
                Edge::Triggers => matches!(a, Node::Fact(_)) && !matches!(b, Node::Fact(_)),
                Edge::Contains => matches!(
                    (a, b),
                    (Node::Framework(_), Node::Control(_)) | (Node::Control(_), Node::Obligation(_))
                ),
                Edge::Related(_) => matches!((a, b), (Node::Control(_), Node::Control(_))),
                Edge::SameAs | Edge::CountsFrom => matches!((a, b), (Node::Obligation(_), Node::Obligation(_))),
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
