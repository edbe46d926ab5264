//! Building the taxonomy from the `[kind.*]` and `[numbers]` tables of every catalog
//! file: kinds with their world, facts numbered in key order with `implies` resolved,
//! duplicates within a layer and cycles in `implies` reported.

use std::collections::BTreeMap;

use super::cycles::CycleReport;
use super::{loc_of, valid_framework_id, valid_value};
use crate::diag::{Code, Diagnostic, FileId, Loc, did_you_mean};
use crate::spec::{CatalogFileSpec, FactSpec, Spanned};
use crate::taxonomy::World;
use crate::taxonomy::{Fact, FactId, Kind, NumberDef, Taxonomy};

/// A kind as declared across files: its title (with the layer and place that gave it),
/// its world, and where it was first named.
type KindDecl = (Option<(String, usize, Loc)>, Option<World>, Loc);

struct FactDecl {
    layer: usize,
    file: FileId,
    value: Spanned<String>,
    spec: FactSpec,
}

pub(super) fn build_taxonomy(files: &mut [(usize, FileId, CatalogFileSpec)], diags: &mut Vec<Diagnostic>) -> Taxonomy {
    let mut kinds: BTreeMap<String, KindDecl> = BTreeMap::new();
    // Every fact declaration, in file order; sorted and merged below.
    let mut declared: Vec<(String, FactDecl)> = Vec::with_capacity(
        files
            .iter()
            .flat_map(|(_, _, spec)| spec.kind.iter().flatten())
            .map(|(_, kind)| kind.facts.len())
            .sum(),
    );
    let mut numbers = BTreeMap::new();
    for (layer, file, spec) in files.iter_mut() {
        let (layer, file) = (*layer, *file);
        for (name, kind) in spec.kind.take().unwrap_or_default() {
            let loc = loc_of(file, &name);
            if !valid_framework_id(name.get_ref()) {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidId,
                        format!("`{}` is not a valid kind name", name.get_ref()),
                    )
                    .at(loc.clone(), "lowercase letters, digits and `-`"),
                );
            }
            let entry = kinds.entry(name.get_ref().clone()).or_insert((None, None, loc.clone()));
            if let Some(title) = kind.title {
                if let Some((_, prev_layer, prev_loc)) = &entry.0 {
                    if *prev_layer == layer {
                        diags.push(
                            Diagnostic::error(
                                Code::DuplicateId,
                                format!("kind `{}` is declared twice", name.get_ref()),
                            )
                            .at(loc.clone(), "declared again here")
                            .also(prev_loc.clone(), "first declared here"),
                        );
                    }
                }
                entry.0 = Some((title.into_inner(), layer, loc.clone()));
            }
            if let Some(world) = kind.world {
                entry.1 = Some(world.into_inner());
            }
            for (value, fact) in kind.facts {
                let mut key = String::with_capacity(name.get_ref().len() + 1 + value.get_ref().len());
                key.push_str(name.get_ref());
                key.push(':');
                key.push_str(value.get_ref());
                if !valid_value(value.get_ref()) {
                    diags.push(
                        Diagnostic::error(Code::InvalidId, format!("`{key}` is not a valid fact"))
                            .at(loc_of(file, &value), "letters, digits, `-`, `_` and `.` only"),
                    );
                    continue;
                }
                declared.push((
                    key,
                    FactDecl {
                        layer,
                        file,
                        value,
                        spec: fact,
                    },
                ));
            }
        }
        for (name, number) in spec.numbers.take().unwrap_or_default() {
            numbers.insert(
                name.get_ref().clone(),
                NumberDef {
                    name: name.into_inner(),
                    title: number.title,
                    question: number.question,
                },
            );
        }
    }
    let keep = merge_layers(&declared, diags);
    let mut kind_map = BTreeMap::new();
    for (name, (title, world, loc)) in kinds {
        let Some((title, _, _)) = title else {
            diags.push(
                Diagnostic::error(Code::MissingTitle, format!("kind `{name}` has no title"))
                    .at(loc, "add `title = \"...\"` in one of the taxonomy files"),
            );
            continue;
        };
        let world = world.unwrap_or(World::Closed);
        kind_map.insert(name.clone(), Kind { name, title, world });
    }
    // Number the facts in key order, then resolve `implies` against that numbering.
    let keys: Vec<&str> = keep.iter().map(|&i| declared[i].0.as_str()).collect();
    let mut resolved = Vec::with_capacity(keep.len());
    for &i in &keep {
        let (key, d) = &declared[i];
        let kind_name = kind_of(key);
        let mut implies = Vec::new();
        for target in &d.spec.implies {
            let loc = loc_of(d.file, target);
            let Some((kind, value)) = target.get_ref().split_once(':') else {
                diags.push(
                    Diagnostic::error(
                        Code::UnknownFact,
                        format!("`{}` is not a fact: write `kind:value`", target.get_ref()),
                    )
                    .at(loc, ""),
                );
                continue;
            };
            match keys.binary_search(&target.get_ref().as_str()) {
                Ok(i) => implies.push(FactId::from_index(i)),
                Err(_) => diags.push(unknown_target(&kind_map, &keys, kind, value).at(loc, "")),
            }
        }
        implies.sort();
        implies.dedup();
        resolved.push(implies);
        if !kind_map.contains_key(kind_name)
            && !diags
                .iter()
                .any(|x| x.code == Code::MissingTitle && x.message.contains(&format!("`{kind_name}`")))
        {
            diags.push(
                Diagnostic::error(Code::UnknownKind, format!("kind `{kind_name}` is not declared"))
                    .at(loc_of(d.file, &d.value), ""),
            );
        }
    }
    drop(keys);
    // Then move the declarations into facts; nothing is copied.
    let mut out = Vec::with_capacity(keep.len());
    let mut alias_places: Vec<(String, Loc, String)> = Vec::new();
    for (i, implies) in keep.into_iter().zip(resolved) {
        let (key, d) = &mut declared[i];
        let kind_world = kind_map.get(kind_of(key)).map_or(World::Closed, |k| k.world);
        let aliases: Vec<String> = d.spec.aliases.iter().map(|a| a.get_ref().clone()).collect();
        for a in &d.spec.aliases {
            alias_places.push((
                format!("{}:{}", kind_of(key), a.get_ref()),
                loc_of(d.file, a),
                key.clone(),
            ));
        }
        out.push(Fact {
            key: std::mem::take(key),
            loc: Some(loc_of(d.file, &d.value)),
            title: std::mem::take(d.spec.title.get_mut()),
            question: d.spec.question.take(),
            world: d.spec.world.as_ref().map_or(kind_world, |w| *w.get_ref()),
            implies,
            implied_by: Vec::new(),
            aliases,
        });
    }
    let taxonomy = Taxonomy::new(kind_map, out, numbers);
    check_implies_cycles(&taxonomy, diags);
    check_aliases(&taxonomy, alias_places, diags);
    taxonomy
}

/// An alias names one fact: it is not also a fact of its kind, nor another fact's
/// alias, and it is a valid value.
fn check_aliases(taxonomy: &Taxonomy, mut places: Vec<(String, Loc, String)>, diags: &mut Vec<Diagnostic>) {
    places.sort_by(|a, b| a.0.cmp(&b.0));
    for (i, (alias, loc, owner)) in places.iter().enumerate() {
        let value = alias.split_once(':').map_or("", |(_, v)| v);
        if !valid_value(value) {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("alias `{value}` of `{owner}` is not a valid value"),
                )
                .at(loc.clone(), "letters, digits, `-`, `_` and `.` only"),
            );
        } else if taxonomy.lookup(alias).is_some() {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("alias `{value}` of `{owner}` is already the fact `{alias}`"),
                )
                .at(loc.clone(), ""),
            );
        } else if let Some((_, first, other)) = places[..i].iter().rev().find(|p| &p.0 == alias) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("alias `{value}` names both `{other}` and `{owner}`"),
                )
                .at(loc.clone(), "")
                .also(first.clone(), "first given here"),
            );
        }
    }
}

/// The places of the declarations that make the taxonomy, sorted by key. A later
/// layer replaces a fact; within one layer a fact is declared once, and a second
/// declaration is an error (reported in file order) that leaves the first in place.
/// Declarations come mostly in key order already, so the sort is close to linear.
fn merge_layers(declared: &[(String, FactDecl)], diags: &mut Vec<Diagnostic>) -> Vec<usize> {
    // Sort the places, not the declarations; stable, so equal keys stay in file order,
    // and layers with them.
    let mut order: Vec<usize> = (0..declared.len()).collect();
    order.sort_by(|&a, &b| declared[a].0.cmp(&declared[b].0));
    let mut keep: Vec<usize> = Vec::with_capacity(order.len());
    let mut duplicates: Vec<(usize, Diagnostic)> = Vec::new();
    for i in order {
        match keep.last_mut() {
            Some(last) if declared[*last].0 == declared[i].0 => {
                let (prev, decl) = (&declared[*last].1, &declared[i].1);
                if prev.layer == decl.layer {
                    duplicates.push((
                        i,
                        Diagnostic::error(
                            Code::DuplicateFact,
                            format!("fact `{}` is declared twice", declared[i].0),
                        )
                        .at(loc_of(decl.file, &decl.value), "declared again here")
                        .also(loc_of(prev.file, &prev.value), "first declared here"),
                    ));
                } else {
                    *last = i;
                }
            }
            _ => keep.push(i),
        }
    }
    duplicates.sort_by_key(|(i, _)| *i);
    diags.extend(duplicates.into_iter().map(|(_, d)| d));
    keep
}

/// The kind of a fact key (`kind:value`); kind names have no `:`.
fn kind_of(key: &str) -> &str {
    key.split_once(':').map_or(key, |(kind, _)| kind)
}

/// The error for an `implies` target that is not a fact, with a suggestion.
fn unknown_target(kinds: &BTreeMap<String, Kind>, keys: &[&str], kind: &str, value: &str) -> Diagnostic {
    if !kinds.contains_key(kind) {
        let mut d = Diagnostic::error(Code::UnknownKind, format!("unknown kind `{kind}`"));
        d = match did_you_mean(kind, kinds.keys().map(String::as_str)) {
            Some(k) => d.note(format!("help: did you mean `{k}`?")),
            None if !kinds.is_empty() => d.note(format!(
                "help: the kinds are: {}",
                kinds.keys().cloned().collect::<Vec<_>>().join(", ")
            )),
            None => d,
        };
        return d;
    }
    let mut d = Diagnostic::error(Code::UnknownFact, format!("unknown fact `{kind}:{value}`"));
    let same_kind = keys
        .iter()
        .filter_map(|key| key.split_once(':'))
        .filter(|(k, _)| *k == kind)
        .map(|(_, v)| v);
    if let Some(v) = did_you_mean(value, same_kind) {
        d = d.note(format!("help: did you mean `{kind}:{v}`?"));
    }
    d
}

fn check_implies_cycles(taxonomy: &Taxonomy, diags: &mut Vec<Diagnostic>) {
    let facts = taxonomy.facts();
    CycleReport {
        code: Code::ImpliesCycle,
        message: "facts imply each other in a cycle",
        help: Some("`implies` must go from the specific to the general; remove one of these edges"),
    }
    .check(
        facts.len(),
        |i| facts[i].implies.iter().map(|t| t.index()),
        |i| facts[i].key.clone(),
        |i| facts[i].loc.clone(),
        diags,
    );
}
