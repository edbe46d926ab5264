//! Cycles in the catalog's relations, found and reported in one way for all of them:
//! facts that imply each other and deadlines counted from each other.
//!
//! A relation is given as nodes `0..n` and a function from a node to the nodes it points
//! at. Most catalogs have no cycle, so a plain depth-first search says so first without
//! building anything; only when it finds one is a graph built to name every cycle (each
//! strongly connected component with more than one node, or with an edge to itself).
//! Each cycle becomes one error with a label at every member's place.

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::diag::{Code, Diagnostic, Loc};

/// How to report the cycles of one relation.
pub(super) struct CycleReport<'a> {
    /// The code of the diagnostics.
    pub(super) code: Code,
    /// The message, before the list of members: `facts imply each other in a cycle`.
    pub(super) message: &'a str,
    /// A note added to each diagnostic, if any.
    pub(super) help: Option<&'a str>,
}

impl CycleReport<'_> {
    /// One error per cycle of the relation over `0..n` given by `next`, naming its
    /// members in order with `name` and labelling each at `loc` (members without a place
    /// are named only). Cycles come in the order of their smallest members.
    pub(super) fn check<I>(
        &self,
        n: usize,
        next: impl Fn(usize) -> I,
        name: impl Fn(usize) -> String,
        loc: impl Fn(usize) -> Option<Loc>,
        diags: &mut Vec<Diagnostic>,
    ) where
        I: IntoIterator<Item = usize>,
    {
        for cycle in cycles(n, next) {
            let names: Vec<String> = cycle.iter().map(|&i| name(i)).collect();
            let mut d = Diagnostic::error(self.code, format!("{}: {}", self.message, names.join(", ")));
            let mut first = true;
            for loc in cycle.iter().filter_map(|&i| loc(i)) {
                d = if first {
                    d.at(loc, "in the cycle")
                } else {
                    d.also(loc, "in the cycle")
                };
                first = false;
            }
            if let Some(help) = self.help {
                d = d.note(format!("help: {help}"));
            }
            diags.push(d);
        }
    }
}

/// Every cycle of the relation over `0..n` given by `next`, each as its sorted members,
/// sorted.
fn cycles<I: IntoIterator<Item = usize>>(n: usize, next: impl Fn(usize) -> I) -> Vec<Vec<usize>> {
    if !has_cycle(n, &next) {
        return Vec::new();
    }
    let mut graph = DiGraph::<(), ()>::with_capacity(n, n);
    for _ in 0..n {
        graph.add_node(());
    }
    for from in 0..n {
        for to in next(from) {
            graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), ());
        }
    }
    let mut cycles: Vec<Vec<usize>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| scc.len() > 1 || graph.contains_edge(scc[0], scc[0]))
        .map(|scc| {
            let mut members: Vec<usize> = scc.into_iter().map(NodeIndex::index).collect();
            members.sort_unstable();
            members
        })
        .collect();
    cycles.sort();
    cycles
}

/// Whether the relation has a cycle: an iterative depth-first search.
fn has_cycle<I: IntoIterator<Item = usize>>(n: usize, next: &impl Fn(usize) -> I) -> bool {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; n];
    let mut stack: Vec<(usize, I::IntoIter)> = Vec::new();
    for start in 0..n {
        if state[start] != NEW {
            continue;
        }
        state[start] = OPEN;
        stack.push((start, next(start).into_iter()));
        while let Some((node, edges)) = stack.last_mut() {
            if let Some(target) = edges.next() {
                match state[target] {
                    OPEN => return true,
                    NEW => {
                        state[target] = OPEN;
                        stack.push((target, next(target).into_iter()));
                    }
                    _ => {}
                }
            } else {
                state[*node] = DONE;
                stack.pop();
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{cycles, has_cycle};

    /// The successors of each node, from a list of edges.
    fn next(edges: &[(usize, usize)]) -> impl Fn(usize) -> Vec<usize> + '_ {
        move |node| {
            edges
                .iter()
                .filter(|(from, _)| *from == node)
                .map(|(_, to)| *to)
                .collect()
        }
    }

    #[test]
    fn cycles_are_found_and_only_they() {
        assert!(!has_cycle(0, &next(&[])));
        assert!(!has_cycle(4, &next(&[(0, 1), (1, 2), (0, 2), (3, 2)])));
        // A diamond reached twice is not a cycle.
        assert!(!has_cycle(4, &next(&[(0, 1), (0, 2), (1, 3), (2, 3)])));
        assert!(has_cycle(3, &next(&[(0, 1), (1, 2), (2, 0)])));
        assert!(has_cycle(2, &next(&[(1, 1)])));
        // A cycle reached only from a later start.
        assert!(has_cycle(5, &next(&[(0, 1), (3, 4), (4, 3)])));
    }

    #[test]
    fn cycles_are_named_in_order() {
        let edges = [(4, 3), (3, 4), (0, 1), (2, 0), (1, 2), (5, 5), (5, 6)];
        assert_eq!(cycles(7, next(&edges)), vec![vec![0, 1, 2], vec![3, 4], vec![5]]);
        assert!(cycles(3, next(&[(0, 1), (1, 2)])).is_empty());
    }
}
