//! Applicability (DESIGN §5.4): the one place that decides whether a framework,
//! control or obligation applies to an incident.
//!
//! An item's conditions are a chain: the framework's `scope`, then the control's
//! `when`, then the obligation's `when` (under `--scope all`, a control or obligation
//! skips its framework's scope). Before the chain comes the status gate: a control that
//! is withdrawn, or kept for reference only, is never evaluated, and neither are its
//! obligations. Beside the chain stand the date gates: a framework or obligation with
//! `effective` or `until` applies only if it was in force on the day the incident was
//! discovered (a framework's dates count wherever its scope does); without a discovery
//! date such an item may apply, and the date is the question. `evaluate`, `explain`,
//! `draft` and the reachability search in `check` all ask here, so they cannot tell
//! different stories.

use crate::evaluate::{ScopeMode, Status};
use crate::facts::FactValues;
use crate::model::{Catalog, Control, ControlStatus, Day, Framework, InForce, ItemId, Obligation};
use crate::rule::{Outcome, Rule};
use crate::truth::Truth;

/// A framework, control or obligation, with its parents.
#[derive(Debug, Clone, Copy)]
pub enum Item<'c> {
    /// A framework.
    Framework(&'c Framework),
    /// A control of a framework.
    Control(&'c Framework, &'c Control),
    /// An obligation of a control.
    Obligation(&'c Framework, &'c Control, &'c Obligation),
}

/// Which condition of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionKind {
    /// A framework's `scope`.
    Scope,
    /// A control's or an obligation's `when`.
    When,
}

/// One condition on the way to an item.
#[derive(Debug, Clone, Copy)]
pub struct Condition<'c> {
    /// Scope or when.
    pub kind: ConditionKind,
    /// The id of the framework, control or obligation that declares it.
    pub owner: &'c str,
    /// The rule; `None` means always true.
    pub rule: Option<&'c Rule>,
}

/// Whether an item applies, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Applies, may apply or not applicable.
    pub status: Status,
    /// The conjunction of the conditions: value, reasons and open questions.
    pub outcome: Outcome,
    /// The item's own condition (scope or `when`), evaluated: its reasons.
    pub own: Outcome,
    /// The status gate that kept the item out, if one did.
    pub gated: Option<ControlStatus>,
    /// The date gates on the way to the item: its framework's (unless `--scope all`
    /// skips it for a control or obligation) and its own, for those that have dates.
    pub in_force: Vec<InForceGate>,
}

/// Whether a dated framework or obligation was in force on the day the incident was
/// discovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForceGate {
    /// The framework or obligation whose dates these are.
    pub owner: ItemId,
    /// Its `effective` and `until`.
    pub dates: InForce,
    /// The day (UTC) the incident was discovered, when the incident gives it.
    pub discovered: Option<Day>,
    /// True when in force that day, false when not yet or no longer, unknown without a
    /// discovery date.
    pub value: Truth,
}

impl InForceGate {
    pub(crate) fn of(owner: &ItemId, dates: InForce, values: &FactValues) -> Option<InForceGate> {
        (!dates.is_always()).then(|| InForceGate {
            owner: owner.clone(),
            dates,
            discovered: values.discovered(),
            value: dates.on(values.discovered()),
        })
    }

    /// The dates in words: `in force from 2026-09-11`.
    #[must_use]
    pub fn range(&self) -> String {
        self.dates.words()
    }

    /// The gate in words, with the discovery day it was judged by.
    #[must_use]
    pub fn words(&self) -> String {
        match (self.value, self.discovered) {
            (Truth::False, Some(day)) => format!(
                "`{}` is {} (the incident was discovered on {day})",
                self.owner,
                self.dates.why_not(day).unwrap_or_default()
            ),
            (Truth::True, Some(day)) => format!(
                "`{}` is in force on {day}, the day the incident was discovered ({})",
                self.owner,
                self.range()
            ),
            _ => format!(
                "`{}` is {}; whether it applies depends on when the incident was discovered (`timeline.discovered` is not given)",
                self.owner,
                self.range()
            ),
        }
    }
}

impl Verdict {
    /// Whether every date gate on the way is open: true, false, or unknown without a
    /// discovery date.
    #[must_use]
    pub fn in_force_value(&self) -> Truth {
        self.in_force.iter().fold(Truth::True, |acc, g| acc.and(g.value))
    }

    /// The date gate that alone keeps out an item whose conditions are not false: the
    /// report lists such items as not (yet or any more) in force.
    #[must_use]
    pub fn excluded_by_date(&self) -> Option<&InForceGate> {
        if self.gated.is_some() || self.outcome.value == Truth::False {
            return None;
        }
        self.in_force.iter().find(|g| g.value == Truth::False)
    }

    /// Whether the item may apply only because the incident gives no discovery date.
    #[must_use]
    pub fn waits_for_discovery(&self) -> bool {
        self.status == Status::MayApply && self.in_force.iter().any(|g| g.value == Truth::Unknown)
    }
}

impl<'c> Item<'c> {
    /// Finds an item by its full id.
    #[must_use]
    pub fn find(catalog: &'c Catalog, id: &str) -> Option<Item<'c>> {
        let framework_id = id.split_once(':').map_or(id, |(f, _)| f);
        let f = catalog.framework(framework_id)?;
        if f.id == id {
            return Some(Item::Framework(f));
        }
        for c in &f.controls {
            if c.id == id {
                return Some(Item::Control(f, c));
            }
            if let Some(o) = c.obligations.iter().find(|o| o.id == id) {
                return Some(Item::Obligation(f, c, o));
            }
        }
        None
    }

    /// The item's full id.
    #[must_use]
    pub fn id(&self) -> &'c str {
        match self {
            Item::Framework(f) => &f.id,
            Item::Control(_, c) => &c.id,
            Item::Obligation(_, _, o) => &o.id,
        }
    }

    /// Its framework.
    #[must_use]
    pub fn framework(&self) -> &'c Framework {
        match self {
            Item::Framework(f) | Item::Control(f, _) | Item::Obligation(f, _, _) => f,
        }
    }

    /// Its control (itself, for a control), if it is not a framework.
    #[must_use]
    pub fn control(&self) -> Option<&'c Control> {
        match self {
            Item::Framework(_) => None,
            Item::Control(_, c) | Item::Obligation(_, c, _) => Some(c),
        }
    }

    /// The status gate: a control (and its obligations) that is not active is never
    /// evaluated. Frameworks have no gate.
    #[must_use]
    pub fn gate(&self) -> Option<ControlStatus> {
        self.control().map(|c| c.status).filter(|s| *s != ControlStatus::Active)
    }

    /// The conditions on the way to the item, in order.
    #[must_use]
    pub fn conditions(&self, scope: ScopeMode) -> Vec<Condition<'c>> {
        let f = self.framework();
        let mut out = Vec::new();
        if scope == ScopeMode::Org || matches!(self, Item::Framework(_)) {
            out.push(Condition {
                kind: ConditionKind::Scope,
                owner: &f.id,
                rule: f.scope.as_ref(),
            });
        }
        if let Some(c) = self.control() {
            out.push(Condition {
                kind: ConditionKind::When,
                owner: &c.id,
                rule: c.when.as_ref(),
            });
        }
        if let Item::Obligation(_, _, o) = self {
            out.push(Condition {
                kind: ConditionKind::When,
                owner: &o.id,
                rule: o.when.as_ref(),
            });
        }
        out
    }

    /// The rules of the chain that are present, in order.
    #[must_use]
    pub fn rules(&self, scope: ScopeMode) -> Vec<&'c Rule> {
        self.conditions(scope).into_iter().filter_map(|c| c.rule).collect()
    }

    /// Whether the item applies to the incident whose closed facts are `values`.
    #[must_use]
    pub fn verdict(&self, values: &FactValues, scope: ScopeMode) -> Verdict {
        let framework = framework(self.framework(), values);
        let Some(c) = self.control() else {
            return framework;
        };
        let control = control(&framework, c, values, scope);
        match self {
            Item::Obligation(_, _, o) => obligation(&control, o, values),
            _ => control,
        }
    }
}

/// Evaluates a condition that may be absent.
fn eval(rule: Option<&Rule>, values: &FactValues) -> Outcome {
    rule.map_or_else(Outcome::always, |r| r.eval(values))
}

fn verdict_of(outcome: Outcome, own: Outcome, in_force: Vec<InForceGate>) -> Verdict {
    let open = in_force.iter().fold(Truth::True, |acc, g| acc.and(g.value));
    Verdict {
        status: Status::of_truth(outcome.value.and(open)),
        outcome,
        own,
        gated: None,
        in_force,
    }
}

/// A framework's verdict: its scope, and its dates.
#[must_use]
pub(crate) fn framework(f: &Framework, values: &FactValues) -> Verdict {
    let scope = eval(f.scope.as_ref(), values);
    let gates = InForceGate::of(&f.id, f.in_force, values).into_iter().collect();
    verdict_of(scope.clone(), scope, gates)
}

/// A framework's status alone, without the reasons: the value of its scope and its
/// dates, as [`framework`] gives it.
#[must_use]
pub(crate) fn framework_status(f: &Framework, values: &FactValues) -> Status {
    let scope = f.scope.as_ref().map_or(Truth::True, |r| r.value(values));
    Status::of_truth(scope.and(f.in_force.on(values.discovered())))
}

/// A control's verdict, from its framework's: the status gate, then the framework's
/// scope and dates (unless `scope` is `All`) and the control's own `when`.
#[must_use]
pub(crate) fn control(framework: &Verdict, c: &Control, values: &FactValues, scope: ScopeMode) -> Verdict {
    if c.status != ControlStatus::Active {
        return Verdict {
            status: Status::NotApplicable,
            outcome: Outcome {
                value: Truth::False,
                ..Outcome::always()
            },
            own: Outcome::always(),
            gated: Some(c.status),
            in_force: Vec::new(),
        };
    }
    let (base, gates) = match scope {
        ScopeMode::Org => (framework.outcome.clone(), framework.in_force.clone()),
        ScopeMode::All => (Outcome::always(), Vec::new()),
    };
    let when = eval(c.when.as_ref(), values);
    verdict_of(base.and(when.clone()), when, gates)
}

/// An obligation's verdict, from its control's, with its own dates.
#[must_use]
pub(crate) fn obligation(control: &Verdict, o: &Obligation, values: &FactValues) -> Verdict {
    if control.gated.is_some() {
        return control.clone();
    }
    let when = eval(o.when.as_ref(), values);
    let mut gates = control.in_force.clone();
    gates.extend(InForceGate::of(&o.id, o.in_force, values));
    verdict_of(control.outcome.clone().and(when.clone()), when, gates)
}

impl ControlStatus {
    /// The name used in files and reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Active => "active",
            ControlStatus::Withdrawn => "withdrawn",
            ControlStatus::Reference => "reference",
        }
    }
}
