//! Applicability (DESIGN §5.4): the one place that decides whether a framework,
//! control or obligation applies to an incident.
//!
//! An item's conditions are a chain: the framework's `scope`, then the control's
//! `when`, then the obligation's `when` (under `--scope all`, a control or obligation
//! skips its framework's scope). Before the chain comes the status gate: a control that
//! is withdrawn, or kept for reference only, is never evaluated, and neither are its
//! obligations. `evaluate`, `explain`, `draft` and the reachability search in `check`
//! all ask here, so they cannot tell different stories.

use crate::evaluate::{ScopeMode, Status};
use crate::model::{Catalog, Control, ControlStatus, Framework, Obligation};
use crate::rule::{Env, Outcome, Rule};
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
    pub fn verdict(&self, values: &dyn Env, scope: ScopeMode) -> Verdict {
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
fn eval(rule: Option<&Rule>, values: &dyn Env) -> Outcome {
    rule.map_or_else(Outcome::always, |r| r.eval(values))
}

fn verdict_of(outcome: Outcome, own: Outcome) -> Verdict {
    Verdict {
        status: Status::of_truth(outcome.value),
        outcome,
        own,
        gated: None,
    }
}

/// A framework's verdict: its scope.
#[must_use]
pub(crate) fn framework(f: &Framework, values: &dyn Env) -> Verdict {
    let scope = eval(f.scope.as_ref(), values);
    verdict_of(scope.clone(), scope)
}

/// A framework's status alone, without the reasons: the value of its scope, as
/// [`framework`] gives it.
#[must_use]
pub(crate) fn framework_status(f: &Framework, values: &dyn Env) -> Status {
    Status::of_truth(f.scope.as_ref().map_or(Truth::True, |r| r.value(values)))
}

/// A control's verdict, from its framework's: the status gate, then the framework's
/// scope (unless `scope` is `All`) and the control's own `when`.
#[must_use]
pub(crate) fn control(framework: &Verdict, c: &Control, values: &dyn Env, scope: ScopeMode) -> Verdict {
    if c.status != ControlStatus::Active {
        return Verdict {
            status: Status::NotApplicable,
            outcome: Outcome {
                value: Truth::False,
                ..Outcome::always()
            },
            own: Outcome::always(),
            gated: Some(c.status),
        };
    }
    let base = match scope {
        ScopeMode::Org => framework.outcome.clone(),
        ScopeMode::All => Outcome::always(),
    };
    let when = eval(c.when.as_ref(), values);
    verdict_of(base.and(when.clone()), when)
}

/// An obligation's verdict, from its control's.
#[must_use]
pub(crate) fn obligation(control: &Verdict, o: &Obligation, values: &dyn Env) -> Verdict {
    if control.gated.is_some() {
        return control.clone();
    }
    let when = eval(o.when.as_ref(), values);
    verdict_of(control.outcome.clone().and(when.clone()), when)
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
