//! Text from outside (file names, incident and catalog text) made safe to show: every
//! character a terminal or a viewer could act on, or that hides or reorders what is
//! shown, is replaced. One rule for diagnostics, `verify`'s lines, Markdown and CSV.

use std::borrow::Cow;

/// Characters that must not reach a terminal, a report or a spreadsheet as they are:
/// control characters but newline and tab (a carriage return only where it ends a
/// line: see [`defuse`]), bidirectional overrides and isolates, zero-width and other
/// invisible format characters, and the line and paragraph separators.
#[must_use]
pub(crate) fn is_unsafe(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// The text with every unsafe character (see [`is_unsafe`]) replaced by as many `?` as
/// it has bytes, so that byte offsets into the text stay valid. A carriage return
/// before a newline is kept: it is how a CRLF file ends its lines.
#[must_use]
pub(crate) fn defuse(text: &str) -> Cow<'_, str> {
    if !has_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else if is_unsafe(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// True when [`defuse`] would change the text.
fn has_unsafe(text: &str) -> bool {
    // Most text is ASCII without controls: C0 controls and DEL are single bytes, every
    // other unsafe character starts with a byte of 0xC2 or more.
    text.bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b >= 0x7f)
        && {
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if is_unsafe(c) && !(c == '\r' && chars.peek() == Some(&'\n')) {
                    return true;
                }
            }
            false
        }
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn controls_bidi_and_invisible_characters_are_replaced() {
        assert_eq!(defuse("plain text, é"), "plain text, é");
        assert_eq!(defuse("a\u{1b}[31mb"), "a?[31mb");
        assert_eq!(defuse("line\r\nnext"), "line\r\nnext");
        assert_eq!(defuse("over\rwrite"), "over?write");
        assert_eq!(defuse("evil\u{202E}txt.md"), "evil???txt.md");
        assert_eq!(defuse("zero\u{200B}width"), "zero???width");
        assert_eq!(defuse("bom\u{FEFF}"), "bom???");
        assert_eq!(defuse("c1\u{85}"), "c1??");
        assert_eq!(defuse("\u{7}bell\ttab\n"), "?bell\ttab\n");
    }
}
