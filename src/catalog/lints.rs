//! Warnings about a valid catalog that is probably not what was meant: ids that differ
//! only in case (one file name on macOS and Windows, e.g. for drafts), a control
//! related to itself or to one control more than once, an obligation `same_as` itself.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, Loc};
use crate::model::Framework;

/// Pushes a warning for each problem above, in catalog order.
pub(super) fn check_lints(frameworks: &[Framework], diags: &mut Vec<Diagnostic>) {
    let mut ids: Vec<(&str, &Loc)> = Vec::new();
    for f in frameworks {
        ids.push((&f.id, &f.loc));
        for c in &f.controls {
            ids.push((&c.id, &c.loc));
            ids.extend(c.obligations.iter().map(|o| (o.id.as_str(), &o.loc)));
        }
    }
    let mut by_folded: HashMap<Cow<'_, str>, (&str, &Loc)> = HashMap::with_capacity(ids.len());
    for (id, loc) in ids {
        // Most ids are lower case already: fold only those that are not.
        let folded = if id.chars().any(char::is_uppercase) {
            Cow::Owned(id.to_lowercase())
        } else {
            Cow::Borrowed(id)
        };
        match by_folded.get(&folded) {
            Some((first, first_loc)) if *first != id => diags.push(
                Diagnostic::warning(Code::DuplicateId, format!("`{id}` and `{first}` differ only in case"))
                    .at(loc.clone(), "this id")
                    .also((*first_loc).clone(), "the other")
                    .note("help: on macOS and Windows their drafts would share one file; rename one"),
            ),
            Some(_) => {}
            None => {
                by_folded.insert(folded, (id, loc));
            }
        }
    }
    for c in frameworks.iter().flat_map(|f| &f.controls) {
        let mut targets: HashMap<&str, &crate::model::Related> = HashMap::new();
        for r in &c.related {
            if r.to == c.id {
                diags.push(
                    Diagnostic::warning(Code::InvalidValue, format!("`{}` is related to itself", c.id))
                        .at(r.loc.clone(), "this link")
                        .note("help: remove the link"),
                );
            } else if let Some(first) = targets.get(r.to.as_str()) {
                diags.push(
                    Diagnostic::warning(
                        Code::DuplicateId,
                        format!(
                            "`{}` is related to `{}` twice ({} and {})",
                            c.id,
                            r.to,
                            first.relation.as_str(),
                            r.relation.as_str()
                        ),
                    )
                    .at(r.loc.clone(), "again here")
                    .also(first.loc.clone(), "first here")
                    .note("help: keep the one relation that holds"),
                );
            } else {
                targets.insert(r.to.as_str(), r);
            }
        }
        for o in &c.obligations {
            for (s, loc) in o.same_as.iter().zip(&o.same_as_locs) {
                if *s == o.id {
                    diags.push(
                        Diagnostic::warning(Code::InvalidValue, format!("`{}` is `same_as` itself", o.id))
                            .at(loc.clone(), "here")
                            .note("help: remove it from `same_as`"),
                    );
                }
            }
        }
    }
}
