//! The fact vocabulary (DESIGN §1): kinds, facts, `implies` edges and numeric facts.
//!
//! Built by `catalog` from every taxonomy file of every catalog layer; read by the rule
//! parser (as a [`Vocabulary`]), by incident loading and by fact closure. Facts are
//! numbered in the order of their `kind:value` key, so ids are the same on every run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Loc, did_you_mean};
use crate::rule::{Unresolved, Vocabulary};

/// A fact of the taxonomy, as an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FactId(u32);

impl FactId {
    /// Stands for an atom that failed to resolve; never evaluated.
    pub const PLACEHOLDER: FactId = FactId(u32::MAX);

    /// The id of the `i`-th fact.
    #[must_use]
    pub fn from_index(i: usize) -> FactId {
        FactId(i as u32)
    }

    /// The position of the fact in `Taxonomy::facts`.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// `kind:value`; [`Fact::kind`] and [`Fact::value`] are its two halves.
    pub key: String,
    /// Shown to people.
    pub title: String,
    /// How to ask about it.
    pub question: Option<String>,
    /// Its world (the kind's unless overridden).
    pub world: World,
    /// What it implies.
    pub implies: Vec<FactId>,
    /// What implies it.
    pub implied_by: Vec<FactId>,
    /// Other values people type for it, without the kind.
    pub aliases: Vec<String>,
    /// Where it was declared.
    pub loc: Option<Loc>,
}

impl Fact {
    /// The kind: the part of the key before the first `:`.
    #[must_use]
    pub fn kind(&self) -> &str {
        self.key.split_once(':').map_or("", |(kind, _)| kind)
    }

    /// The value: the part of the key after the first `:`.
    #[must_use]
    pub fn value(&self) -> &str {
        self.key.split_once(':').map_or(self.key.as_str(), |(_, value)| value)
    }
}

/// A kind of fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kind {
    /// Name.
    pub name: String,
    /// Title.
    pub title: String,
    /// World.
    pub world: World,
}

/// A numeric fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberDef {
    /// Name, e.g. `count`.
    pub name: String,
    /// Title.
    pub title: String,
    /// How to ask for it.
    pub question: Option<String>,
}

/// The whole vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Taxonomy {
    kinds: BTreeMap<String, Kind>,
    /// Sorted by key, so that a fact's id is its place in this list.
    facts: Vec<Fact>,
    numbers: BTreeMap<String, NumberDef>,
    /// `kind:alias` → fact, sorted by key.
    aliases: Vec<(String, FactId)>,
}

/// Help lists a kind's values up to this many; a longer list would bury the line, so
/// it points to `ctrlmap list facts` instead.
const LISTED_VALUES: usize = 80;

impl Taxonomy {
    /// Assembles a taxonomy. `facts` must be sorted by key with `implies` resolved.
    #[must_use]
    pub fn new(kinds: BTreeMap<String, Kind>, mut facts: Vec<Fact>, numbers: BTreeMap<String, NumberDef>) -> Self {
        debug_assert!(facts.is_sorted_by(|a, b| a.key < b.key), "facts sorted by key");
        for f in &mut facts {
            f.implied_by.clear();
        }
        let edges: Vec<(FactId, FactId)> = facts
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.implies.iter().map(move |t| (FactId::from_index(i), *t)))
            .collect();
        for (from, to) in edges {
            facts[to.index()].implied_by.push(from);
        }
        let mut aliases: Vec<(String, FactId)> = facts
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                f.aliases
                    .iter()
                    .map(move |a| (format!("{}:{a}", f.kind()), FactId::from_index(i)))
            })
            .collect();
        aliases.sort();
        Taxonomy {
            kinds,
            facts,
            numbers,
            aliases,
        }
    }

    /// The fact that `value` is an alias of, in `kind`.
    #[must_use]
    pub fn alias(&self, kind: &str, value: &str) -> Option<FactId> {
        let key = format!("{kind}:{value}");
        self.aliases
            .binary_search_by(|(k, _)| k.as_str().cmp(&key))
            .ok()
            .map(|i| self.aliases[i].1)
    }

    /// Resolves `kind:value`, accepting an alias: the fact, and the alias when one was
    /// used.
    pub fn resolve_typed(&self, kind: &str, value: &str) -> Result<(FactId, Option<String>), Unresolved> {
        match self.resolve_fact(kind, value) {
            Ok(f) => Ok((f, None)),
            Err(u) => match self.alias(kind, value) {
                Some(f) if u.code == Code::UnknownFact => Ok((f, Some(value.to_owned()))),
                _ => Err(u),
            },
        }
    }

    /// A fact by id.
    #[must_use]
    pub fn fact(&self, id: FactId) -> &Fact {
        &self.facts[id.index()]
    }

    /// Every fact, in id order.
    #[must_use]
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// Finds `kind:value`.
    #[must_use]
    pub fn lookup(&self, key: &str) -> Option<FactId> {
        let (kind, value) = key.split_once(':')?;
        self.lookup_parts(kind, value)
    }

    /// Finds `kind:value` from its two halves, without building the key.
    fn lookup_parts(&self, kind: &str, value: &str) -> Option<FactId> {
        self.facts
            .binary_search_by(|f| {
                // Byte order of the key against `kind:value`, as the facts are sorted.
                f.key
                    .bytes()
                    .cmp(kind.bytes().chain(std::iter::once(b':')).chain(value.bytes()))
            })
            .ok()
            .map(FactId::from_index)
    }

    /// A kind by name.
    #[must_use]
    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.get(name)
    }

    /// Every kind, by name.
    pub fn kinds(&self) -> impl Iterator<Item = &Kind> {
        self.kinds.values()
    }

    /// Every numeric fact, by name.
    pub fn numbers(&self) -> impl Iterator<Item = &NumberDef> {
        self.numbers.values()
    }

    /// The definition behind `count` or `count:US-CA`.
    #[must_use]
    pub fn number(&self, name: &str) -> Option<&NumberDef> {
        let base = name.split_once(':').map_or(name, |(b, _)| b);
        self.numbers.get(base)
    }

    /// The title of a numeric fact, with its jurisdiction when it has one.
    #[must_use]
    pub fn number_title(&self, name: &str) -> String {
        let title = self.number(name).map_or(name, |n| n.title.as_str());
        match name.split_once(':') {
            Some((_, place)) => {
                let place_title = self
                    .lookup(&format!("residency:{place}"))
                    .map_or(place, |f| self.fact(f).title.as_str());
                format!("{title} resident in {place_title}")
            }
            None => title.to_owned(),
        }
    }

    /// The question to ask about a fact.
    #[must_use]
    pub fn question(&self, id: FactId) -> String {
        let fact = self.fact(id);
        fact.question.clone().unwrap_or_else(|| format!("{}?", fact.title))
    }

    /// Resolves a value given without its kind, as in an incident section.
    pub fn resolve_in_kind(&self, kind: &str, value: &str) -> Result<FactId, Unresolved> {
        self.resolve_fact(kind, value)
    }

    /// Help for an unknown `kind:value`: a close value or alias of the kind; else the
    /// same value, or alias, in another kind; else the kind's values.
    fn suggest(&self, kind: &str, value: &str) -> Option<String> {
        let prefix = format!("{kind}:");
        let of_kind = || self.facts.iter().filter(|f| f.kind() == kind);
        let candidates = of_kind()
            .map(Fact::value)
            .chain(self.aliases.iter().filter_map(|(k, _)| k.strip_prefix(&prefix)));
        if let Some(v) = did_you_mean(value, candidates) {
            let canonical = self.alias(kind, v).map_or(v, |f| self.fact(f).value());
            return Some(if canonical == v {
                format!("did you mean `{prefix}{v}`?")
            } else {
                format!("did you mean `{prefix}{canonical}` (also written `{v}`)?")
            });
        }
        let elsewhere = self
            .kinds
            .keys()
            .filter(|k| k.as_str() != kind)
            .find_map(|k| self.lookup_parts(k, value).or_else(|| self.alias(k, value)));
        if let Some(f) = elsewhere {
            return Some(format!(
                "`{value}` is a value of another kind: did you mean `{}`?",
                self.fact(f).key
            ));
        }
        let values: Vec<&str> = of_kind().map(Fact::value).collect();
        if values.is_empty() {
            return None;
        }
        Some(if values.len() > LISTED_VALUES {
            format!("`{kind}` has {} values; `ctrlmap list facts` lists them", values.len())
        } else {
            format!("the values of `{kind}` are: {}", values.join(", "))
        })
    }
}

impl Vocabulary for Taxonomy {
    fn resolve_fact(&self, kind: &str, value: &str) -> Result<FactId, Unresolved> {
        if !self.kinds.contains_key(kind) {
            let help = did_you_mean(kind, self.kinds.keys().map(String::as_str))
                .map(|k| format!("did you mean `{k}`?"))
                .or_else(|| {
                    (!self.kinds.is_empty()).then(|| {
                        format!(
                            "the kinds are: {}",
                            self.kinds.keys().cloned().collect::<Vec<_>>().join(", ")
                        )
                    })
                });
            return Err(Unresolved {
                code: Code::UnknownKind,
                message: format!("unknown kind `{kind}`"),
                help,
            });
        }
        self.lookup_parts(kind, value).ok_or_else(|| Unresolved {
            code: Code::UnknownFact,
            message: format!("unknown fact `{kind}:{value}`"),
            help: self.suggest(kind, value),
        })
    }

    fn resolve_number(&self, name: &str) -> Result<(), Unresolved> {
        let (base, place) = match name.split_once(':') {
            Some((b, p)) => (b, Some(p)),
            None => (name, None),
        };
        if !self.numbers.contains_key(base) {
            return Err(Unresolved {
                code: Code::UnknownNumber,
                message: format!("unknown number `{base}`"),
                help: did_you_mean(base, self.numbers.keys().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`?")),
            });
        }
        if let Some(place) = place {
            if self.lookup(&format!("residency:{place}")).is_none() {
                return Err(Unresolved {
                    code: Code::UnknownNumber,
                    message: format!("`{name}` names no residency: `residency:{place}` is not a fact"),
                    help: self
                        .suggest("residency", place)
                        .map(|s| s.replace("residency:", &format!("{base}:"))),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::World;
    use super::{Fact, Kind, Taxonomy};

    #[test]
    fn facts_are_found_by_their_halves_in_key_order() {
        // `a-b:x` sorts before `a:x` (`-` is below `:`), though `a-b` sorts after `a`.
        let keys = ["a-b:x", "a-b:y", "a:x", "a:x.1", "ab:x"];
        let facts = keys
            .iter()
            .map(|k| Fact {
                key: (*k).to_owned(),
                title: String::new(),
                question: None,
                world: World::Closed,
                implies: Vec::new(),
                implied_by: Vec::new(),
                aliases: Vec::new(),
                loc: None,
            })
            .collect();
        let kinds = ["a", "a-b", "ab"]
            .iter()
            .map(|k| {
                let kind = Kind {
                    name: (*k).to_owned(),
                    title: String::new(),
                    world: World::Closed,
                };
                ((*k).to_owned(), kind)
            })
            .collect();
        let taxonomy = Taxonomy::new(kinds, facts, BTreeMap::new());
        for key in keys {
            let (kind, value) = key.split_once(':').expect("a key");
            assert_eq!(taxonomy.lookup_parts(kind, value), taxonomy.lookup(key), "{key}");
            assert!(taxonomy.lookup(key).is_some());
        }
        assert_eq!(taxonomy.lookup_parts("a", "y"), None);
        assert_eq!(taxonomy.lookup_parts("a-b", "x.1"), None);
    }
}

/// Whether an unstated fact is false (closed) or unknown (open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum World {
    /// Unstated means false.
    Closed,
    /// Unstated means unknown.
    Open,
}
