//! Closing an incident's facts over `implies` (DESIGN §1).
//!
//! 1. Stated true and false facts propagate: truth forward along `implies`, falsity
//!    backward. A fact reached both ways is a contradiction naming both sources.
//! 2. Facts stated unknown stay unknown, and so does everything they imply that is not
//!    yet decided (an explicit "we do not know" blocks closed-world defaults).
//! 3. Every fact still undecided takes its world's default: closed facts are false,
//!    and that falsity flows backward onto undecided open facts
//!    (`status:dora-financial-entity → sector:finance`, with `sector:finance` unstated,
//!    makes the status false); the rest are unknown.
//!
//! Each value keeps its origin, one step back, and the first fact of its chain: where a
//! value comes from is known at once, and a chain is walked only where it is shown, so
//! closing a chain of 100,000 facts takes linear time and memory.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use crate::deadline::TimelineKey;
use crate::diag::{Code, Diagnostic};
use crate::incident::{Incident, NumberStatement, Statement};
use crate::model::Day;
use crate::rule::Env;
use crate::taxonomy::{FactId, Taxonomy, World};
use crate::truth::Truth;

/// Why a fact has its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Stated by the incident or an assumption (index into the statements).
    Stated(usize),
    /// Follows from another fact through `implies` (forward for true and unknown,
    /// backward for false).
    Implied(FactId),
    /// The default of the fact's world.
    Default,
}

/// A fact's value and origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactState {
    /// The value.
    pub value: Truth,
    /// Why: one step back along the chain.
    pub origin: Origin,
    /// The first fact of the chain (the fact itself when not implied), kept so that
    /// where a value comes from is known without walking the chain.
    pub root: FactId,
}

/// Every fact's value after closure, the numbers, and the day the incident was
/// discovered (which decides whether dated frameworks and obligations were in force).
#[derive(Debug, Clone)]
pub struct FactValues {
    states: Vec<FactState>,
    statements: Vec<Statement>,
    numbers: BTreeMap<String, NumberStatement>,
    discovered: Option<Day>,
}

impl Env for FactValues {
    fn fact(&self, fact: FactId) -> Truth {
        self.states.get(fact.index()).map_or(Truth::Unknown, |s| s.value)
    }

    fn number(&self, name: &str) -> Option<u64> {
        self.numbers.get(name).and_then(|n| n.value)
    }
}

impl FactValues {
    /// Closes the incident's statements over the taxonomy.
    pub fn close(taxonomy: &Taxonomy, incident: &Incident) -> Result<FactValues, Vec<Diagnostic>> {
        let n = taxonomy.facts().len();
        let mut state: Vec<Option<FactState>> = vec![None; n];
        let statements = incident.statements.clone();
        let mut found = Contradictions {
            taxonomy,
            statements: &statements,
            seen: Vec::new(),
            diags: Vec::new(),
        };

        // Phase 1: stated true and false, in fact order so that paths are canonical.
        let mut order: Vec<usize> = (0..statements.len()).collect();
        order.sort_by_key(|&i| (statements[i].fact, i));
        let mut queue = VecDeque::new();
        for &i in &order {
            let s = &statements[i];
            if s.value == Truth::Unknown {
                continue;
            }
            match state[s.fact.index()] {
                None => {
                    state[s.fact.index()] = Some(FactState {
                        value: s.value,
                        origin: Origin::Stated(i),
                        root: s.fact,
                    });
                    queue.push_back(s.fact);
                }
                Some(prev) if prev.value != s.value => {
                    found.report(&state, s.fact, Origin::Stated(i), prev.origin);
                }
                Some(_) => {}
            }
        }
        while let Some(f) = queue.pop_front() {
            let Some(current) = state[f.index()] else { continue };
            let fact = taxonomy.fact(f);
            let next = if current.value == Truth::True {
                &fact.implies
            } else {
                &fact.implied_by
            };
            for &g in next {
                match state[g.index()] {
                    None => {
                        state[g.index()] = Some(FactState {
                            value: current.value,
                            origin: Origin::Implied(f),
                            root: current.root,
                        });
                        queue.push_back(g);
                    }
                    Some(other) if other.value != current.value => {
                        found.report(&state, g, Origin::Implied(f), other.origin);
                    }
                    Some(_) => {}
                }
            }
        }
        if !found.diags.is_empty() {
            return Err(found.diags);
        }

        // Phase 2: stated unknowns, and what they imply. A fact stated unknown and also
        // stated true or false is a contradiction: the incident says both. (A fact
        // stated unknown that another statement implies takes the implied value: an
        // importer says "unknown" of what its source leaves open, and the implication
        // settles it.)
        for &i in &order {
            let s = &statements[i];
            if s.value != Truth::Unknown {
                continue;
            }
            if let Some(decided) = state[s.fact.index()] {
                if matches!(decided.origin, Origin::Stated(j) if statements[j].value != Truth::Unknown) {
                    found.report(&state, s.fact, Origin::Stated(i), decided.origin);
                }
                continue;
            }
            state[s.fact.index()] = Some(FactState {
                value: Truth::Unknown,
                origin: Origin::Stated(i),
                root: s.fact,
            });
            queue.push_back(s.fact);
        }
        if !found.diags.is_empty() {
            return Err(found.diags);
        }
        while let Some(f) = queue.pop_front() {
            let root = state[f.index()].map_or(f, |s| s.root);
            for &g in &taxonomy.fact(f).implies {
                if state[g.index()].is_none() {
                    state[g.index()] = Some(FactState {
                        value: Truth::Unknown,
                        origin: Origin::Implied(f),
                        root,
                    });
                    queue.push_back(g);
                }
            }
        }

        // Phase 3: closed-world defaults, their falsity flowing back onto open facts.
        for (i, fact) in taxonomy.facts().iter().enumerate() {
            if state[i].is_none() && fact.world == World::Closed {
                state[i] = Some(FactState {
                    value: Truth::False,
                    origin: Origin::Default,
                    root: FactId::from_index(i),
                });
                // Falsity flows backward only; a fact nothing implies passes it on to none.
                if !fact.implied_by.is_empty() {
                    queue.push_back(FactId::from_index(i));
                }
            }
        }
        while let Some(f) = queue.pop_front() {
            let root = state[f.index()].map_or(f, |s| s.root);
            for &g in &taxonomy.fact(f).implied_by {
                if state[g.index()].is_none() {
                    state[g.index()] = Some(FactState {
                        value: Truth::False,
                        origin: Origin::Implied(f),
                        root,
                    });
                    queue.push_back(g);
                }
            }
        }
        let states = state
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                s.unwrap_or(FactState {
                    value: Truth::Unknown,
                    origin: Origin::Default,
                    root: FactId::from_index(i),
                })
            })
            .collect();
        Ok(FactValues {
            states,
            statements,
            numbers: incident.numbers.clone(),
            discovered: incident.timeline.get(&TimelineKey::Discovered).map(|ts| Day::utc(*ts)),
        })
    }

    /// The day (UTC) the incident was discovered, when its timeline gives it.
    #[must_use]
    pub fn discovered(&self) -> Option<Day> {
        self.discovered
    }

    /// A fact's value and origin.
    #[must_use]
    pub fn state(&self, fact: FactId) -> FactState {
        self.states[fact.index()]
    }

    /// The statement behind `Origin::Stated(i)`.
    #[must_use]
    pub fn statement(&self, i: usize) -> &Statement {
        &self.statements[i]
    }

    /// Every number given, with where it came from.
    #[must_use]
    pub fn numbers(&self) -> &BTreeMap<String, NumberStatement> {
        &self.numbers
    }

    /// The chain of facts from where the value came from to `fact`:
    /// `[technique:T1199, vector:third-party]` for a truth carried forward,
    /// `[sector:finance, status:dora-financial-entity]` for a falsity carried back.
    #[must_use]
    pub fn path(&self, fact: FactId) -> Vec<FactId> {
        let mut path = vec![fact];
        let mut current = fact;
        while let Origin::Implied(from) = self.states[current.index()].origin {
            if path.len() > self.states.len() {
                break;
            }
            path.push(from);
            current = from;
        }
        path.reverse();
        path
    }

    /// The first fact of [`FactValues::path`], without walking it.
    #[must_use]
    pub fn root(&self, fact: FactId) -> FactId {
        self.states[fact.index()].root
    }

    /// The origin of the first fact of [`FactValues::path`].
    #[must_use]
    pub fn root_origin(&self, fact: FactId) -> Origin {
        self.states[self.root(fact).index()].origin
    }
}

/// The statement at the root of an origin chain, and the chain of facts from it.
fn root(
    statements: &[Statement],
    state: &[Option<FactState>],
    fact: FactId,
    origin: Origin,
) -> (Option<usize>, Vec<FactId>) {
    let mut chain = vec![fact];
    let mut o = origin;
    while let Origin::Implied(from) = o {
        if chain.len() > state.len() {
            break;
        }
        chain.push(from);
        o = state[from.index()].map_or(Origin::Default, |s| s.origin);
    }
    chain.reverse();
    let stated = match o {
        Origin::Stated(i) if i < statements.len() => Some(i),
        _ => None,
    };
    (stated, chain)
}

/// One diagnostic per pair of statements that contradict each other.
struct Contradictions<'a> {
    taxonomy: &'a Taxonomy,
    statements: &'a [Statement],
    seen: Vec<(Option<usize>, Option<usize>)>,
    diags: Vec<Diagnostic>,
}

impl Contradictions<'_> {
    fn report(&mut self, state: &[Option<FactState>], fact: FactId, one: Origin, other: Origin) {
        let (ra, ca) = root(self.statements, state, fact, one);
        let (rb, cb) = root(self.statements, state, fact, other);
        let pair = if ra <= rb { (ra, rb) } else { (rb, ra) };
        if self.seen.contains(&pair) {
            return;
        }
        self.seen.push(pair);
        let key = &self.taxonomy.fact(fact).key;
        let values: Vec<Truth> = [ra, rb]
            .iter()
            .filter_map(|r| r.map(|i| self.statements[i].value))
            .collect();
        let message = if values.contains(&Truth::Unknown) {
            let decided = values
                .iter()
                .find(|v| **v != Truth::Unknown)
                .copied()
                .unwrap_or(Truth::True);
            format!("`{key}` is stated unknown, and comes out {decided}")
        } else {
            format!("`{key}` comes out both true and false")
        };
        let mut d = Diagnostic::error(Code::Contradiction, message);
        let mut primary = true;
        for (r, chain) in [(ra, &ca), (rb, &cb)] {
            let Some(i) = r else { continue };
            let s = &self.statements[i];
            let first = &self.taxonomy.fact(chain[0]).key;
            let mut text = format!("states `{first}` {}", s.value);
            if chain.len() > 1 {
                let path: Vec<&str> = chain.iter().map(|f| self.taxonomy.fact(*f).key.as_str()).collect();
                let _ = write!(text, ", which makes `{key}` {} ({})", s.value, path.join(" → "));
            }
            match s.source.loc() {
                Some(loc) => {
                    d = if primary {
                        d.at(loc.clone(), text)
                    } else {
                        d.also(loc.clone(), text)
                    };
                    primary = false;
                }
                None => d = d.note(format!("{}: {text}", s.source.field())),
            }
        }
        self.diags
            .push(d.note("help: remove or correct one of the two statements"));
    }
}
