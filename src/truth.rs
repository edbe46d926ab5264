//! Three-valued truth (Kleene's strong logic): true, false and unknown.
//!
//! `unknown and false = false`, `unknown or true = true`, `not unknown = unknown`.
//! The order `False < Unknown < True` makes `and` the minimum and `or` the maximum.

use std::fmt;

/// A truth value that may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Truth {
    /// Known to be false.
    False,
    /// Not known.
    Unknown,
    /// Known to be true.
    True,
}

impl Truth {
    /// Kleene conjunction.
    #[must_use]
    pub fn and(self, other: Truth) -> Truth {
        self.min(other)
    }

    /// Kleene disjunction.
    #[must_use]
    pub fn or(self, other: Truth) -> Truth {
        self.max(other)
    }

    /// Kleene negation.
    #[must_use]
    #[expect(clippy::should_implement_trait, reason = "reads better than `!` in rule code")]
    pub fn not(self) -> Truth {
        match self {
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
            Truth::True => Truth::False,
        }
    }

    /// The name used in reports: `true`, `false`, `unknown`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Truth::False => "false",
            Truth::Unknown => "unknown",
            Truth::True => "true",
        }
    }

    /// True when `self` carries no less information than `other` and agrees with it:
    /// an unknown may become anything, a known value must stay.
    #[must_use]
    pub fn refines(self, other: Truth) -> bool {
        other == Truth::Unknown || self == other
    }
}

impl From<bool> for Truth {
    fn from(b: bool) -> Self {
        if b { Truth::True } else { Truth::False }
    }
}

impl fmt::Display for Truth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Truth::{self, False as F, True as T, Unknown as U};

    const ALL: [Truth; 3] = [F, U, T];

    #[test]
    fn and_truth_table() {
        let table = [[F, F, F], [F, U, U], [F, U, T]];
        for (i, a) in ALL.iter().enumerate() {
            for (j, b) in ALL.iter().enumerate() {
                assert_eq!(a.and(*b), table[i][j], "{a} and {b}");
            }
        }
    }

    #[test]
    fn or_truth_table() {
        let table = [[F, U, T], [U, U, T], [T, T, T]];
        for (i, a) in ALL.iter().enumerate() {
            for (j, b) in ALL.iter().enumerate() {
                assert_eq!(a.or(*b), table[i][j], "{a} or {b}");
            }
        }
    }

    #[test]
    fn not_truth_table() {
        assert_eq!(F.not(), T);
        assert_eq!(U.not(), U);
        assert_eq!(T.not(), F);
    }

    #[test]
    fn de_morgan_holds() {
        for a in ALL {
            for b in ALL {
                assert_eq!(a.and(b).not(), a.not().or(b.not()));
                assert_eq!(a.or(b).not(), a.not().and(b.not()));
            }
        }
    }
}
