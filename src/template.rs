//! `new`: a commented incident template, with every section and key, the values each
//! kind of fact accepts (from the taxonomy in use) and what each timeline date starts.

use std::fmt::Write as _;

use crate::deadline::{Start, TimelineKey};
use crate::model::Catalog;

/// Kinds with more values than this are named by count, with a pointer to `list facts`.
const LISTED_VALUES: usize = 60;
/// Comment lines are wrapped at this width.
const WIDTH: usize = 88;

/// The template for an incident with `id` (or an empty one to fill in).
#[must_use]
pub(crate) fn incident(catalog: &Catalog, id: Option<&str>) -> String {
    let mut out = String::new();
    out.push_str(
        "# A new incident. Fill in what is known and leave out what is not: an unknown fact is\n\
         # asked about in the report, never guessed. Uncomment a key to use it. Then run:\n\
         #   ctrlmap report THIS-FILE\n\n",
    );
    let id_line = format!("id = \"{}\"", id.unwrap_or_default());
    let _ = writeln!(out, "{id_line:<31} # letters, digits, `.`, `_` and `-`");
    let _ = writeln!(out, "{:<31} # one line", "title = \"\"");
    let _ = writeln!(out, "{:<31} # free text", "# summary = \"\"");
    let _ = writeln!(
        out,
        "{:<31} # due times are also shown in this IANA zone\n",
        "# timezone = \"Europe/Amsterdam\""
    );

    out.push_str("[timeline]  # an RFC 3339 time with an offset, or with a zone (RFC 9557); all optional\n");
    for key in TimelineKey::ALL {
        let _ = writeln!(out, "# {} = \"2026-01-01T09:00:00Z\"", key.as_str());
        comment(&mut out, &format!("{} {}", key.question(), starts(catalog, key)));
    }
    out.push('\n');

    out.push_str("[organization]\n# name = \"\"\n");
    list(&mut out, catalog, "sectors", "sector", "true");
    list(
        &mut out,
        catalog,
        "established",
        "established",
        "true: where the organisation is established",
    );
    list(&mut out, catalog, "status", "status", "true");
    same(
        &mut out,
        "not_status",
        "status",
        "false; a status in neither list is unknown",
    );
    out.push('\n');

    out.push_str("[affected]\n");
    list(
        &mut out,
        catalog,
        "residency",
        "residency",
        "true: where the people affected live",
    );
    out.push_str("# count = 0                      # people affected\n");
    out.push_str("# counts = { US-CA = 0 }         # per residency\n\n");

    out.push_str("[data]\n");
    list(&mut out, catalog, "exposed", "data", "true");
    same(&mut out, "not_exposed", "data", "false");
    out.push('\n');

    out.push_str("[attack]\n");
    list(&mut out, catalog, "vectors", "vector", "true");
    list(
        &mut out,
        catalog,
        "techniques",
        "technique",
        "true: MITRE ATT&CK technique ids",
    );
    list(&mut out, catalog, "actors", "actor", "true");
    list(&mut out, catalog, "impacts", "impact", "true");
    out.push('\n');

    out.push_str("[facts]  # any fact as \"kind:value\": true, false, \"unknown\", or a decision\n");
    out.push_str(
        "# \"assessment:gdpr-high-risk\" = { value = true, by = \"DPO\", at = \"2026-01-01T09:00:00Z\", why = \"\" }\n",
    );
    for kind in ["assessment", "safeguard"] {
        values(&mut out, catalog, kind);
    }
    out.push('\n');

    out.push_str("[contact]  # for notification drafts\n");
    for key in ["name", "email", "phone", "dpo"] {
        let _ = writeln!(out, "# {key} = \"\"");
    }
    out.push_str("\n[response]  # for notification drafts\n");
    for key in [
        "description",
        "measures_taken",
        "measures_planned",
        "likely_consequences",
        "advice",
    ] {
        let _ = writeln!(out, "# {key} = \"\"");
    }
    out.push_str(
        "\n# What has been done, one table each; a clock counted from it starts at its time.\n\
         # [[done]]\n\
         # obligation = \"gdpr:art33.1\"\n\
         # at = \"2026-01-01T09:00:00Z\"\n\
         # by = \"\"\n\
         # ref = \"\"\n\
         # note = \"\"\n",
    );
    out
}

/// Every line of `text` commented out, for a reference block after imported keys.
#[must_use]
pub(crate) fn commented(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() || l.starts_with('#') {
                format!("{l}\n")
            } else {
                format!("# {l}\n")
            }
        })
        .collect()
}

/// `key = []` commented, with the kind's values.
fn list(out: &mut String, catalog: &Catalog, key: &str, kind: &str, meaning: &str) {
    let _ = writeln!(out, "# {key} = []");
    comment(out, &format!("`{kind}` values, {meaning}."));
    values(out, catalog, kind);
}

/// `key = []` commented, for the values listed just above.
fn same(out: &mut String, key: &str, kind: &str, meaning: &str) {
    let _ = writeln!(out, "# {key} = []");
    comment(out, &format!("`{kind}` values as above, {meaning}."));
}

/// Values shown as examples of a long list, when the taxonomy has them.
const EXAMPLES: [&str; 6] = ["US", "US-CA", "EU", "DE", "GB", "T1199"];

/// The values of `kind`, or their count and where to find them.
fn values(out: &mut String, catalog: &Catalog, kind: &str) {
    let facts: Vec<&str> = catalog
        .taxonomy
        .facts()
        .iter()
        .filter(|f| f.kind() == kind)
        .map(crate::taxonomy::Fact::value)
        .collect();
    if facts.len() > LISTED_VALUES {
        let mut sample: Vec<&str> = EXAMPLES.iter().filter(|e| facts.contains(e)).copied().collect();
        if sample.is_empty() {
            sample = facts.iter().take(6).copied().collect();
        }
        comment(
            out,
            &format!(
                "{} `{kind}` values, e.g. {}; `ctrlmap list facts` lists them all.",
                facts.len(),
                sample.join(", ")
            ),
        );
    } else if !facts.is_empty() {
        comment(out, &format!("{kind}: {}", facts.join(", ")));
    }
}

/// The clocks a timeline date starts, in words.
fn starts(catalog: &Catalog, key: TimelineKey) -> String {
    let ids: Vec<&str> = catalog
        .obligations()
        .filter(|o| {
            o.deadline
                .iter()
                .flat_map(|d| &d.alternatives)
                .any(|a| a.from == Start::Timeline(key))
        })
        .map(|o| o.id.as_str())
        .collect();
    match ids.len() {
        0 => "It starts no clock of the catalog.".to_owned(),
        n if n <= 4 => format!("It starts: {}.", ids.join(", ")),
        n => format!("It starts {n} clocks, e.g. {}.", ids[..4].join(", ")),
    }
}

/// `text` as comment lines of at most [`WIDTH`] characters, indented under a key.
fn comment(out: &mut String, text: &str) {
    let mut line = String::from("#   ");
    for word in text.split(' ') {
        if line.len() + word.len() + 1 > WIDTH && line.len() > 4 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from("#   ");
        }
        line.push_str(word);
        line.push(' ');
    }
    out.push_str(line.trim_end());
    out.push('\n');
}
