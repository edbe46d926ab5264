//! Importers: formats this field already uses, turned into ctrlmap TOML.
//!
//! - [`oscal`]: an OSCAL catalog (e.g. NIST SP 800-53 rev5), optionally with the CTID
//!   ATT&CK mappings, becomes one framework file (DESIGN §3);
//! - [`veris`]: a VERIS incident (e.g. from the VERIS Community Database) becomes an
//!   incident file (DESIGN §4).
//!
//! Both read JSON already added to a [`SourceMap`], so that a
//! syntax error points at its line and column, and return the TOML text or every
//! problem as a [`Diagnostic`]. Output is deterministic: the same input gives the same
//! bytes. The helpers here write TOML strings and shorten prose.

pub(crate) mod oscal;
pub(crate) mod veris;

use std::fmt::Write as _;

use crate::diag::{Code, Diagnostic, FileId, Loc, SourceMap};

/// A TOML basic string, quoted and escaped.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let plain = !s.bytes().any(|b| b < 0x20 || b == 0x7f || b == b'"' || b == b'\\');
    if plain {
        out.push_str(s);
    } else {
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{:04X}", u32::from(c));
                }
                c => out.push(c),
            }
        }
    }
    out.push('"');
    out
}

/// Text for a TOML comment: one line, no control characters.
pub(crate) fn comment_text(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Collapses every run of whitespace into one space and trims the ends.
pub(crate) fn squeeze(s: &str) -> String {
    let bytes = s.as_bytes();
    let clean = bytes.first().is_none_or(|b| *b != b' ')
        && bytes.last().is_none_or(|b| *b != b' ')
        && !bytes.windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
        && !s.chars().any(|c| c.is_whitespace() && c != ' ');
    if clean {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The first sentence of `text` (ending at `.`, `!`, `?` or `;` followed by a space or
/// the end, outside square brackets), cut at a word boundary to at most `max` characters
/// with `…` when it is longer. A trailing `;`, `:` or `,` becomes a full stop.
pub(crate) fn first_sentence(text: &str, max: usize) -> String {
    let text = squeeze(text);
    let mut depth = 0usize;
    let mut end = text.len();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            '.' | '!' | '?' | ';' if depth == 0 => {
                let at_end = chars.peek().is_none_or(|&(_, n)| n == ' ');
                if at_end && !abbreviation(&text[..i]) {
                    end = i + c.len_utf8();
                    break;
                }
            }
            _ => {}
        }
    }
    let sentence = &text[..end];
    let mut out = cut_words(sentence, max);
    if let Some(stripped) = out.strip_suffix([';', ':', ',']) {
        out = format!("{}.", stripped.trim_end());
    }
    out
}

/// Whether the text before a full stop ends with a common abbreviation.
fn abbreviation(before: &str) -> bool {
    let last = before.rsplit(' ').next().unwrap_or("");
    matches!(
        last,
        "e.g" | "i.e" | "etc" | "U.S" | "No" | "Inc" | "Corp" | "Ltd" | "vs" | "St" | "Mr" | "Ms" | "Dr"
    ) || (last.len() == 1 && last.chars().all(|c| c.is_ascii_uppercase()))
}

/// `text` cut at a word boundary to at most `max` characters, with `…` when cut.
pub(crate) fn cut_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let limit = text
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..limit];
    let head = match head.rfind(' ') {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

/// A diagnostic for a JSON syntax or shape error, at the line and column `serde_json`
/// reports, turned into a byte offset of the file.
pub(crate) fn json_error(map: &SourceMap, file: FileId, what: &str, err: &serde_json::Error) -> Diagnostic {
    let text = map.text(file);
    let offset = offset_of(text, err.line(), err.column());
    let end = text[offset..].chars().next().map_or(offset, |c| offset + c.len_utf8());
    let message = err.to_string();
    // serde_json appends " at line L column C"; the location already says so.
    let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
    let (code, label) = match err.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            (Code::InvalidValue, "not valid JSON")
        }
        _ => (Code::InvalidValue, "unexpected shape"),
    };
    Diagnostic::error(code, format!("{what}: {message}")).at(Loc::new(file, offset..end), label)
}

/// Byte offset of a 1-based line and 1-based byte column, clamped to the text and to a
/// character boundary.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    if line > 1 {
        match text.match_indices('\n').nth(line - 2) {
            Some((i, _)) => start = i + 1,
            None => return text.len(),
        }
    }
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A diagnostic about a whole file (no better place is known).
pub(crate) fn file_error(file: FileId, code: Code, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(code, message).at(Loc::new(file, 0..0), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes() {
        assert_eq!(quote("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    #[test]
    fn sentences() {
        assert_eq!(first_sentence("One two. Three.", 100), "One two.");
        assert_eq!(
            first_sentence("Use [a. b] well; and more", 100),
            "Use [a. b] well;".replace(';', ".")
        );
        assert_eq!(first_sentence("e.g. this one. Next", 100), "e.g. this one.");
        assert_eq!(cut_words("alpha beta gamma", 12), "alpha beta…");
    }

    #[test]
    fn offsets() {
        assert_eq!(offset_of("ab\ncd", 2, 2), 4);
        assert_eq!(offset_of("ab", 5, 1), 2);
        assert_eq!(offset_of("é", 1, 2), 0);
    }
}
