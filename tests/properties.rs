//! Laws the engine must keep, checked on many generated cases.

use std::collections::BTreeMap;

use ctrlmap::Catalog;
use ctrlmap::CatalogGraph;
use ctrlmap::FactId;
use ctrlmap::FactValues;
use ctrlmap::SourceMap;
use ctrlmap::Sources;
use ctrlmap::Truth;
use ctrlmap::{Assumption, Incident};
use ctrlmap::{Env, Rule};
use ctrlmap::{ScopeMode, Status, evaluate};
use proptest::prelude::*;

use crate::common::incidents;

fn embedded() -> (Catalog, SourceMap) {
    let mut map = SourceMap::new();
    let (catalog, _) = ctrlmap::load_catalog(&Sources::embedded(), &mut map).expect("shipped catalog loads");
    (catalog, map)
}

/// Status of every framework, and of every control and obligation in the report.
fn statuses(catalog: &Catalog, incident: &Incident, scope: ScopeMode) -> Option<BTreeMap<String, Status>> {
    let values = FactValues::close(&catalog.taxonomy, incident).ok()?;
    let graph = CatalogGraph::build(catalog);
    let exposure = evaluate(catalog, &graph, incident, &values, scope).expect("in range");
    let mut out = BTreeMap::new();
    for f in &exposure.frameworks {
        out.insert(f.framework.id.to_string(), f.status);
        for c in &f.controls {
            out.insert(c.control.id.to_string(), c.status);
            for o in &c.obligations {
                out.insert(o.obligation.id.to_string(), o.status);
            }
        }
    }
    Some(out)
}

/// Learning the value of unknown facts never removes what applied, never brings back
/// what did not, and only settles what may apply.
#[test]
fn learning_unknown_facts_is_monotone() {
    let (catalog, mut map) = embedded();
    let loaded: Vec<(Incident, Vec<FactId>)> = incidents()
        .iter()
        .map(|path| {
            let incident = Incident::load(path, &catalog.taxonomy, &mut map).expect("example incident loads");
            let values = FactValues::close(&catalog.taxonomy, &incident).expect("no contradiction");
            let unknown = (0..catalog.taxonomy.facts().len())
                .map(FactId::from_index)
                .filter(|f| values.fact(*f) == Truth::Unknown)
                .collect();
            (incident, unknown)
        })
        .collect();
    let config = ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    };
    proptest!(config, |(which in 0..loaded.len(), picks in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 1..5), all in any::<bool>())| {
        let (incident, unknown) = &loaded[which];
        prop_assume!(!unknown.is_empty());
        let scope = if all { ScopeMode::All } else { ScopeMode::Org };
        let before = statuses(&catalog, incident, scope).expect("closes");
        let assumptions: Vec<Assumption> = picks
            .iter()
            .map(|(i, v)| Assumption::Fact(unknown[i.index(unknown.len())], Truth::from(*v)))
            .collect();
        let mut learned = incident.clone();
        learned.assume(&assumptions);
        // Answers that contradict each other are rejected, not evaluated.
        let after = statuses(&catalog, &learned, scope);
        prop_assume!(after.is_some());
        let after = after.expect("checked");
        for (id, status) in &before {
            match status {
                Status::Applies => prop_assert_eq!(after.get(id), Some(&Status::Applies), "{} stopped applying", id),
                Status::NotApplicable => prop_assert_eq!(after.get(id), Some(&Status::NotApplicable), "{} became applicable", id),
                Status::MayApply => {}
            }
        }
        for id in after.keys() {
            prop_assert!(before.contains_key(id), "{} appeared", id);
        }
    });
}

/// An environment over a handful of facts with given values.
struct Values(BTreeMap<FactId, Truth>, Option<u64>);

impl Env for Values {
    fn fact(&self, fact: FactId) -> Truth {
        self.0.get(&fact).copied().unwrap_or(Truth::Unknown)
    }
    fn number(&self, _: &str) -> Option<u64> {
        self.1
    }
}

const ATOMS: [&str; 5] = [
    "data:email",
    "data:name",
    "vector:third-party",
    "status:nis2-important",
    "residency:EU",
];

fn rule_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0..ATOMS.len()).prop_map(|i| ATOMS[i].to_owned()),
        (0u64..10).prop_map(|n| format!("count >= {n}")),
        Just("data:{email, name}".to_owned()),
    ];
    leaf.prop_recursive(5, 40, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|a| format!("not {a}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a} or {b})")),
        ]
    })
}

fn truth() -> impl Strategy<Value = Truth> {
    prop_oneof![Just(Truth::False), Just(Truth::Unknown), Just(Truth::True)]
}

proptest! {
    /// Refining unknown inputs only refines the result (Kleene logic is monotone in
    /// the information order), and a decided result has no open questions.
    #[test]
    fn rule_evaluation_is_monotone(text in rule_text(), values in prop::collection::vec(truth(), ATOMS.len()), refined in prop::collection::vec(any::<bool>(), ATOMS.len()), count in prop::option::of(0u64..10), refined_count in 0u64..10) {
        let catalog = shared_catalog();
        let rule = Rule::parse(&text, &catalog.taxonomy).expect("generated rules are valid");
        let ids: Vec<FactId> = ATOMS.iter().map(|a| catalog.taxonomy.lookup(a).expect("atom exists")).collect();
        let env = Values(ids.iter().copied().zip(values.iter().copied()).collect(), count);
        let finer = Values(
            ids.iter().copied().zip(values.iter().zip(&refined).map(|(v, r)| if *v == Truth::Unknown { Truth::from(*r) } else { *v })).collect(),
            count.or(Some(refined_count)),
        );
        let coarse = rule.eval(&env);
        let fine = rule.eval(&finer);
        prop_assert!(fine.value.refines(coarse.value), "{} went from {} to {}", text, coarse.value, fine.value);
        prop_assert!(fine.open.is_empty(), "all inputs known, yet open: {:?}", fine.open);
        if coarse.value != Truth::Unknown {
            prop_assert!(coarse.open.is_empty());
        }
        // `not not r` evaluates like `r`.
        let double = Rule::parse(&format!("not not ({text})"), &catalog.taxonomy).expect("valid");
        prop_assert_eq!(double.eval(&env).value, coarse.value);
    }
}

/// The embedded catalog, loaded once for all generated cases.
fn shared_catalog() -> &'static Catalog {
    use std::sync::OnceLock;
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| embedded().0)
}

/// The same inputs in any order give the same bytes: catalog files spread over
/// folders given in any order, and incident lists in any order.
#[test]
fn output_does_not_depend_on_input_order() {
    use crate::common::{ctrlmap, root, tempdir};

    let controls: Vec<std::path::PathBuf> = {
        // The top-level files and the holiday calendars their deadlines name.
        let mut files: Vec<_> = std::fs::read_dir(root().join("controls"))
            .expect("controls/")
            .chain(std::fs::read_dir(root().join("controls/calendars")).expect("controls/calendars/"))
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        files
    };
    let flickr = std::fs::read_to_string(root().join("incidents/flickr-2026-02.toml")).expect("flickr");
    let base: toml::Table = flickr.parse().expect("valid TOML");
    let report = |dirs: &[std::path::PathBuf], incident: &std::path::Path| -> String {
        let mut args = vec![
            "report".to_owned(),
            incident.display().to_string(),
            "--format".to_owned(),
            "json".to_owned(),
            "--no-default-controls".to_owned(),
        ];
        for d in dirs {
            args.push("--controls".to_owned());
            args.push(d.display().to_string());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = ctrlmap(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let mut value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
        // The list of folders is the one thing that names them.
        value["catalog"] = serde_json::Value::Null;
        serde_json::to_string(&value).expect("json")
    };
    let config = ProptestConfig {
        cases: 8,
        ..ProptestConfig::default()
    };
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let reference = std::sync::OnceLock::new();
    proptest!(config, |(assignment in prop::collection::vec(0usize..3, controls.len()), order in Just(vec![0usize, 1, 2]).prop_shuffle(), seed in any::<u64>())| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = tempdir(&format!("order-{n}"));
        let dirs: Vec<std::path::PathBuf> = (0..3).map(|i| dir.join(format!("layer{i}"))).collect();
        for d in &dirs {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        for (file, layer) in controls.iter().zip(&assignment) {
            std::fs::copy(file, dirs[*layer].join(file.file_name().expect("name"))).expect("copy");
        }
        // The incident with every list in another order.
        let mut shuffled = base.clone();
        let mut state = seed | 1;
        for section in ["organization", "affected", "data", "attack"] {
            if let Some(toml::Value::Table(t)) = shuffled.get_mut(section) {
                for (_, value) in t.iter_mut() {
                    if let toml::Value::Array(items) = value {
                        for i in (1..items.len()).rev() {
                            state ^= state << 13;
                            state ^= state >> 7;
                            state ^= state << 17;
                            items.swap(i, usize::try_from(state % (i as u64 + 1)).expect("small"));
                        }
                    }
                }
            }
        }
        let incident = dir.join("incident.toml");
        std::fs::write(&incident, toml::to_string(&shuffled).expect("toml")).expect("write");
        let ordered: Vec<std::path::PathBuf> = order.iter().map(|i| dirs[*i].clone()).collect();
        let got = report(&ordered, &incident);
        let expected = reference.get_or_init(|| {
            let canonical = dir.join("canonical.toml");
            std::fs::write(&canonical, toml::to_string(&base).expect("toml")).expect("write");
            let all = dir.join("all");
            std::fs::create_dir_all(&all).expect("mkdir");
            for file in &controls {
                std::fs::copy(file, all.join(file.file_name().expect("name"))).expect("copy");
            }
            report(&[all], &canonical)
        });
        let _ = std::fs::remove_dir_all(&dir);
        prop_assert_eq!(&got, expected);
    });
}
