//! The rule language of DESIGN §2: parsing with spans, and three-valued evaluation.
//!
//! A rule string (`scope`, `when`) is parsed into a [`Rule`] whose atoms are already
//! resolved against the taxonomy through a [`Vocabulary`], so evaluation never looks
//! up a name. Parsing reports every unknown atom at once, each with its byte range in
//! the rule text; the catalog turns those into file positions. Evaluation returns an
//! [`Outcome`]: the value, the atoms that made it so, and the unknown atoms that could
//! still change it.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::diag::Code;
use crate::taxonomy::FactId;
use crate::truth::Truth;

/// Rules may nest at most this deep (parentheses and `not`).
pub(crate) const MAX_DEPTH: usize = 64;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `<`
    Lt,
    /// `==`
    Eq,
}

impl Op {
    fn apply(self, a: u64, b: u64) -> bool {
        match self {
            Op::Ge => a >= b,
            Op::Gt => a > b,
            Op::Le => a <= b,
            Op::Lt => a < b,
            Op::Eq => a == b,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "==",
        }
    }
}

/// A resolved rule expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expr {
    /// One fact.
    Fact(FactId),
    /// Any of several facts of one kind.
    Any(Vec<FactId>),
    /// A numeric fact compared with a constant.
    Compare {
        /// `count` or `count:US-CA`.
        number: String,
        /// The operator.
        op: Op,
        /// The constant.
        value: u64,
    },
    /// Negation.
    Not(Box<Expr>),
    /// Conjunction.
    And(Vec<Expr>),
    /// Disjunction.
    Or(Vec<Expr>),
}

/// A parsed rule with its source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The rule as written.
    pub text: String,
    /// The parsed expression.
    pub expr: Expr,
}

impl fmt::Display for Rule {
    /// The rule on one line, with runs of white space folded to one space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for word in self.text.split_whitespace() {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(word)?;
            first = false;
        }
        Ok(())
    }
}

/// A problem in a rule string; `span` is a byte range of the rule text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// What kind of problem.
    pub code: Code,
    /// Byte range within the rule text.
    pub span: Range<usize>,
    /// One line.
    pub message: String,
    /// A suggestion, e.g. "did you mean `data:email`?".
    pub help: Option<String>,
}

/// Name resolution for rule atoms.
pub trait Vocabulary {
    /// Resolves `kind:value`, or explains why not.
    fn resolve_fact(&self, kind: &str, value: &str) -> Result<FactId, Unresolved>;
    /// Checks that `name` (`count`, `count:US-CA`) is a numeric fact.
    fn resolve_number(&self, name: &str) -> Result<(), Unresolved>;
}

/// Why a name did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// The code to report.
    pub code: Code,
    /// The message.
    pub message: String,
    /// A suggestion.
    pub help: Option<String>,
}

/// Something a rule's value depends on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Term {
    /// A fact.
    Fact(FactId),
    /// A numeric fact.
    Number(String),
}

/// The values a rule is evaluated against.
pub trait Env {
    /// The truth of a fact.
    fn fact(&self, fact: FactId) -> Truth;
    /// The value of a numeric fact, if known.
    fn number(&self, name: &str) -> Option<u64>;
}

/// The result of evaluating a rule, with its justification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The value.
    pub value: Truth,
    /// The known atoms that made the value (or, for unknown, the part that is known).
    pub because: BTreeSet<Term>,
    /// The unknown atoms whose answer could change the value (empty unless unknown).
    pub open: BTreeSet<Term>,
}

impl Outcome {
    /// The outcome of an absent rule: true, for no reason.
    #[must_use]
    pub fn always() -> Outcome {
        Outcome {
            value: Truth::True,
            because: BTreeSet::new(),
            open: BTreeSet::new(),
        }
    }

    /// Conjunction of two outcomes, justified as for `and` in a rule.
    #[must_use]
    pub fn and(self, other: Outcome) -> Outcome {
        combine(Truth::and, vec![self, other])
    }
}

impl Rule {
    /// Parses `text`, resolving atoms with `vocab`.
    pub fn parse(text: &str, vocab: &dyn Vocabulary) -> Result<Rule, Vec<RuleError>> {
        let tokens = lex(text).map_err(|e| vec![e])?;
        let mut parser = Parser {
            tokens,
            pos: 0,
            depth: 0,
            end: text.len(),
        };
        let raw = parser.expr().map_err(|e| vec![e])?;
        if let Some(tok) = parser.tokens.get(parser.pos) {
            return Err(vec![syntax(
                tok.span.clone(),
                "expected `and`, `or` or the end of the rule",
            )]);
        }
        let mut errors = Vec::new();
        let expr = resolve(raw, vocab, &mut errors);
        if errors.is_empty() {
            Ok(Rule {
                text: text.to_owned(),
                expr,
            })
        } else {
            Err(errors)
        }
    }

    /// Evaluates the rule.
    #[must_use]
    pub fn eval(&self, env: &dyn Env) -> Outcome {
        eval(&self.expr, env)
    }

    /// Evaluates the rule without its justification: the value only, and cheaply.
    #[must_use]
    pub fn value(&self, env: &dyn Env) -> Truth {
        value(&self.expr, env)
    }

    /// Every fact and number the rule mentions, in order of first appearance.
    #[must_use]
    pub fn terms(&self) -> Vec<Term> {
        let mut out = Vec::new();
        collect_terms(&self.expr, &mut out);
        out
    }

    /// The facts the rule mentions outside any `not` (or under an even number of
    /// them): the facts whose truth can help make the rule true.
    #[must_use]
    pub fn positive_facts(&self) -> BTreeSet<FactId> {
        let mut out = BTreeSet::new();
        collect_positive(&self.expr, true, &mut out);
        out
    }

    /// Every fact the rule mentions.
    #[must_use]
    pub fn facts(&self) -> BTreeSet<FactId> {
        let mut out = BTreeSet::new();
        collect_facts(&self.expr, &mut out);
        out
    }
}

fn value(expr: &Expr, env: &dyn Env) -> Truth {
    match expr {
        Expr::Fact(f) => env.fact(*f),
        Expr::Any(fs) => fs.iter().map(|f| env.fact(*f)).max().unwrap_or(Truth::Unknown),
        Expr::Compare { number, op, value } => env
            .number(number)
            .map_or(Truth::Unknown, |n| Truth::from(op.apply(n, *value))),
        Expr::Not(e) => value(e, env).not(),
        Expr::And(es) => {
            let mut acc = Truth::True;
            for e in es {
                acc = acc.and(value(e, env));
                if acc == Truth::False {
                    break;
                }
            }
            acc
        }
        Expr::Or(es) => {
            let mut acc = Truth::False;
            for e in es {
                acc = acc.or(value(e, env));
                if acc == Truth::True {
                    break;
                }
            }
            acc
        }
    }
}

fn collect_terms(expr: &Expr, out: &mut Vec<Term>) {
    let mut push = |t: Term| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    match expr {
        Expr::Fact(f) => push(Term::Fact(*f)),
        Expr::Any(fs) => fs.iter().for_each(|f| push(Term::Fact(*f))),
        Expr::Compare { number, .. } => push(Term::Number(number.clone())),
        Expr::Not(e) => collect_terms(e, out),
        Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| collect_terms(e, out)),
    }
}

fn collect_positive(expr: &Expr, positive: bool, out: &mut BTreeSet<FactId>) {
    match expr {
        Expr::Fact(f) if positive => {
            out.insert(*f);
        }
        Expr::Any(fs) if positive => out.extend(fs.iter().copied()),
        Expr::Fact(_) | Expr::Any(_) | Expr::Compare { .. } => {}
        Expr::Not(e) => collect_positive(e, !positive, out),
        Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| collect_positive(e, positive, out)),
    }
}

fn collect_facts(expr: &Expr, out: &mut BTreeSet<FactId>) {
    match expr {
        Expr::Fact(f) => {
            out.insert(*f);
        }
        Expr::Any(fs) => out.extend(fs.iter().copied()),
        Expr::Compare { .. } => {}
        Expr::Not(e) => collect_facts(e, out),
        Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| collect_facts(e, out)),
    }
}

fn eval(expr: &Expr, env: &dyn Env) -> Outcome {
    match expr {
        Expr::Fact(f) => atom(env.fact(*f), Term::Fact(*f)),
        Expr::Any(fs) => combine(
            Truth::or,
            fs.iter().map(|f| atom(env.fact(*f), Term::Fact(*f))).collect(),
        ),
        Expr::Compare { number, op, value } => {
            let truth = env
                .number(number)
                .map_or(Truth::Unknown, |n| Truth::from(op.apply(n, *value)));
            atom(truth, Term::Number(number.clone()))
        }
        Expr::Not(e) => {
            let inner = eval(e, env);
            Outcome {
                value: inner.value.not(),
                ..inner
            }
        }
        Expr::And(es) => combine_children(Truth::and, es, env),
        Expr::Or(es) => combine_children(Truth::or, es, env),
    }
}

/// [`combine`] for the children of an `and` or `or`, evaluating with justification
/// only the children whose reasons are kept: the others' values are enough. A framework
/// scope that is false because of one atom does not build the reasons of the rest.
fn combine_children(op: fn(Truth, Truth) -> Truth, children: &[Expr], env: &dyn Env) -> Outcome {
    let values: Vec<Truth> = children.iter().map(|e| value(e, env)).collect();
    let total = values.iter().copied().reduce(op).unwrap_or(Truth::Unknown);
    let kept: Vec<Outcome> = children
        .iter()
        .zip(&values)
        .filter(|(_, v)| keeps(op, total, **v))
        .map(|(e, _)| eval(e, env))
        .collect();
    let mut out = combine(op, kept);
    out.value = total;
    out
}

/// Whether a child with value `child` gives its reasons to a parent with value `total`.
fn keeps(op: fn(Truth, Truth) -> Truth, total: Truth, child: Truth) -> bool {
    // The value that, in one child, decides the whole: false for `and`, true for `or`.
    let absorbing = op(Truth::False, Truth::True);
    if total == Truth::Unknown {
        child != Truth::False
    } else if total == absorbing {
        child == absorbing
    } else {
        true
    }
}

fn atom(value: Truth, term: Term) -> Outcome {
    let mut out = Outcome {
        value,
        because: BTreeSet::new(),
        open: BTreeSet::new(),
    };
    if value == Truth::Unknown {
        out.open.insert(term);
    } else {
        out.because.insert(term);
    }
    out
}

/// Combines children of an `and` (op = min) or `or` (op = max).
///
/// The result is justified by the children that agree with it: for a decided value,
/// the children that alone would decide it (the false ones of a false `and`), or all
/// of them when every child was needed (a true `and`); for an unknown value, the true
/// children (what already speaks for it) and the unknown ones (their open atoms).
fn combine(op: fn(Truth, Truth) -> Truth, children: Vec<Outcome>) -> Outcome {
    let value = children.iter().map(|c| c.value).reduce(op).unwrap_or(Truth::Unknown);
    let mut out = Outcome {
        value,
        because: BTreeSet::new(),
        open: BTreeSet::new(),
    };
    for child in children {
        if keeps(op, value, child.value) {
            union(&mut out.because, child.because);
            union(&mut out.open, child.open);
        }
    }
    out
}

/// Adds `other` to `set`, inserting the smaller into the larger.
fn union(set: &mut BTreeSet<Term>, mut other: BTreeSet<Term>) {
    if other.len() > set.len() {
        std::mem::swap(set, &mut other);
    }
    set.extend(other);
}

// ---------------------------------------------------------------------------
// Lexing and parsing

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    Colon,
    LBrace,
    RBrace,
    Comma,
    LParen,
    RParen,
    Op(Op),
}

#[derive(Debug, Clone)]
struct Token<'a> {
    tok: Tok<'a>,
    span: Range<usize>,
}

fn syntax(span: Range<usize>, message: &str) -> RuleError {
    RuleError {
        code: Code::RuleSyntax,
        span,
        message: message.to_owned(),
        help: None,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

fn lex(text: &str) -> Result<Vec<Token<'_>>, RuleError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let single = match c {
            ':' => Some(Tok::Colon),
            '{' => Some(Tok::LBrace),
            '}' => Some(Tok::RBrace),
            ',' => Some(Tok::Comma),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            _ => None,
        };
        if let Some(tok) = single {
            chars.next();
            tokens.push(Token {
                tok,
                span: start..start + 1,
            });
            continue;
        }
        if matches!(c, '<' | '>' | '=') {
            chars.next();
            let eq = chars.peek().is_some_and(|&(_, n)| n == '=');
            if eq {
                chars.next();
            }
            let op = match (c, eq) {
                ('>', true) => Op::Ge,
                ('>', false) => Op::Gt,
                ('<', true) => Op::Le,
                ('<', false) => Op::Lt,
                ('=', true) => Op::Eq,
                _ => return Err(syntax(start..start + 1, "expected `==`")),
            };
            tokens.push(Token {
                tok: Tok::Op(op),
                span: start..start + if eq { 2 } else { 1 },
            });
            continue;
        }
        if is_word_char(c) {
            let mut end = start;
            while let Some(&(i, c)) = chars.peek() {
                if !is_word_char(c) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            tokens.push(Token {
                tok: Tok::Word(&text[start..end]),
                span: start..end,
            });
            continue;
        }
        return Err(syntax(
            start..start + c.len_utf8(),
            &format!("unexpected character `{}`", c.escape_default()),
        ));
    }
    Ok(tokens)
}

/// A word of a rule and its place.
type Word<'a> = (&'a str, Range<usize>);

/// The syntax tree before names are resolved; words borrow the rule's text.
enum Raw<'a> {
    Atom {
        kind: Word<'a>,
        value: Word<'a>,
    },
    Set {
        kind: Word<'a>,
        values: Vec<Word<'a>>,
    },
    Compare {
        number: (String, Range<usize>),
        op: Op,
        value: u64,
    },
    Not(Box<Raw<'a>>),
    And(Vec<Raw<'a>>),
    Or(Vec<Raw<'a>>),
}

struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    depth: usize,
    end: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Tok<'a>> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn here(&self) -> Range<usize> {
        self.tokens.get(self.pos).map_or(self.end..self.end, |t| t.span.clone())
    }

    fn is_keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if *w == word)
    }

    fn expr(&mut self) -> Result<Raw<'a>, RuleError> {
        let mut items = vec![self.and()?];
        while self.is_keyword("or") {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Raw::Or(items)
        })
    }

    fn and(&mut self) -> Result<Raw<'a>, RuleError> {
        let mut items = vec![self.unary()?];
        while self.is_keyword("and") {
            self.pos += 1;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Raw::And(items)
        })
    }

    fn enter(&mut self) -> Result<(), RuleError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(RuleError {
                code: Code::RuleTooDeep,
                span: self.here(),
                message: format!("the rule nests deeper than {MAX_DEPTH} levels"),
                help: None,
            });
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Raw<'a>, RuleError> {
        self.enter()?;
        let result = self.unary_inner();
        self.depth -= 1;
        result
    }

    fn unary_inner(&mut self) -> Result<Raw<'a>, RuleError> {
        if self.is_keyword("not") {
            self.pos += 1;
            return Ok(Raw::Not(Box::new(self.unary()?)));
        }
        match self.peek() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let inner = self.expr()?;
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                    Ok(inner)
                } else {
                    Err(syntax(self.here(), "expected `)`"))
                }
            }
            Some(&Tok::Word(w)) if !matches!(w, "and" | "or") => {
                let first = (w, self.here());
                self.pos += 1;
                self.after_word(first)
            }
            _ => Err(syntax(
                self.here(),
                "expected a fact (`kind:value`), a set, a comparison, `not` or `(`",
            )),
        }
    }

    fn word(&mut self, what: &str) -> Result<Word<'a>, RuleError> {
        match self.tokens.get(self.pos) {
            Some(Token {
                tok: Tok::Word(w),
                span,
            }) => {
                let out = (*w, span.clone());
                self.pos += 1;
                Ok(out)
            }
            _ => Err(syntax(self.here(), &format!("expected {what}"))),
        }
    }

    fn after_word(&mut self, first: Word<'a>) -> Result<Raw<'a>, RuleError> {
        match self.peek() {
            Some(Tok::Op(_)) => self.compare((first.0.to_owned(), first.1)),
            Some(Tok::Colon) => {
                self.pos += 1;
                if self.peek() == Some(&Tok::LBrace) {
                    self.pos += 1;
                    let mut values = vec![self.word("a value")?];
                    while self.peek() == Some(&Tok::Comma) {
                        self.pos += 1;
                        if self.peek() == Some(&Tok::RBrace) {
                            break;
                        }
                        values.push(self.word("a value")?);
                    }
                    if self.peek() != Some(&Tok::RBrace) {
                        return Err(syntax(self.here(), "expected `,` or `}`"));
                    }
                    self.pos += 1;
                    return Ok(Raw::Set { kind: first, values });
                }
                let value = self.word("a value after `:`")?;
                if matches!(self.peek(), Some(Tok::Op(_))) {
                    let span = first.1.start..value.1.end;
                    return self.compare((format!("{}:{}", first.0, value.0), span));
                }
                Ok(Raw::Atom { kind: first, value })
            }
            _ => Err(syntax(
                first.1,
                "expected `kind:value`, `kind:{a, b}` or a comparison such as `count >= 500`",
            )),
        }
    }

    fn compare(&mut self, number: (String, Range<usize>)) -> Result<Raw<'a>, RuleError> {
        let Some(Tok::Op(op)) = self.peek().cloned() else {
            return Err(syntax(self.here(), "expected a comparison operator"));
        };
        self.pos += 1;
        let (digits, span) = self.word("a whole number")?;
        let digits_clean = digits.replace('_', "");
        let value = digits_clean
            .parse::<u64>()
            .map_err(|_| syntax(span, "expected a whole number (0 to 18446744073709551615)"))?;
        Ok(Raw::Compare { number, op, value })
    }
}

fn resolve(raw: Raw<'_>, vocab: &dyn Vocabulary, errors: &mut Vec<RuleError>) -> Expr {
    let mut fact = |kind: &Word<'_>, value: &Word<'_>| {
        vocab
            .resolve_fact(kind.0, value.0)
            .map_err(|u| {
                let span = if u.code == Code::UnknownKind {
                    kind.1.clone()
                } else {
                    kind.1.start..value.1.end
                };
                errors.push(RuleError {
                    code: u.code,
                    span,
                    message: u.message,
                    help: u.help,
                });
            })
            .unwrap_or(FactId::PLACEHOLDER)
    };
    match raw {
        Raw::Atom { kind, value } => Expr::Fact(fact(&kind, &value)),
        Raw::Set { kind, values } => Expr::Any(values.iter().map(|v| fact(&kind, v)).collect()),
        Raw::Compare { number, op, value } => {
            if let Err(u) = vocab.resolve_number(&number.0) {
                errors.push(RuleError {
                    code: u.code,
                    span: number.1,
                    message: u.message,
                    help: u.help,
                });
            }
            Expr::Compare {
                number: number.0,
                op,
                value,
            }
        }
        Raw::Not(inner) => Expr::Not(Box::new(resolve(*inner, vocab, errors))),
        Raw::And(items) => Expr::And(items.into_iter().map(|r| resolve(r, vocab, errors)).collect()),
        Raw::Or(items) => Expr::Or(items.into_iter().map(|r| resolve(r, vocab, errors)).collect()),
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A vocabulary of facts `k:a` … `k:e` with ids 0..5 and the number `count`.
    struct Vocab;

    impl Vocabulary for Vocab {
        fn resolve_fact(&self, kind: &str, value: &str) -> Result<FactId, Unresolved> {
            let values = ["a", "b", "c", "d", "e"];
            if kind != "k" {
                return Err(Unresolved {
                    code: Code::UnknownKind,
                    message: format!("unknown kind `{kind}`"),
                    help: None,
                });
            }
            values
                .iter()
                .position(|v| *v == value)
                .map(FactId::from_index)
                .ok_or(Unresolved {
                    code: Code::UnknownFact,
                    message: format!("unknown fact `{kind}:{value}`"),
                    help: None,
                })
        }
        fn resolve_number(&self, name: &str) -> Result<(), Unresolved> {
            if name == "count" || name == "count:X" {
                Ok(())
            } else {
                Err(Unresolved {
                    code: Code::UnknownNumber,
                    message: format!("unknown number `{name}`"),
                    help: None,
                })
            }
        }
    }

    struct Values(BTreeMap<usize, Truth>, Option<u64>);

    impl Env for Values {
        fn fact(&self, fact: FactId) -> Truth {
            self.0.get(&fact.index()).copied().unwrap_or(Truth::Unknown)
        }
        fn number(&self, _: &str) -> Option<u64> {
            self.1
        }
    }

    fn parse(text: &str) -> Rule {
        Rule::parse(text, &Vocab).expect("valid rule")
    }

    fn errors(text: &str) -> Vec<(Code, Range<usize>)> {
        Rule::parse(text, &Vocab)
            .expect_err("invalid rule")
            .into_iter()
            .map(|e| (e.code, e.span))
            .collect()
    }

    #[test]
    fn precedence_and_binds_tighter_than_or() {
        let rule = parse("k:a or k:b and not k:c");
        let a = Expr::Fact(FactId::from_index(0));
        let b = Expr::Fact(FactId::from_index(1));
        let c = Expr::Fact(FactId::from_index(2));
        assert_eq!(rule.expr, Expr::Or(vec![a, Expr::And(vec![b, Expr::Not(Box::new(c))])]));
    }

    #[test]
    fn sets_and_comparisons_parse() {
        let rule = parse("k:{a, b,} and (count >= 1_000 or count:X == 3)");
        assert!(matches!(rule.expr, Expr::And(_)));
    }

    #[test]
    fn unknown_atoms_are_all_reported_with_spans() {
        assert_eq!(
            errors("k:zz or q:a and k:{a, yy} or cnt > 1"),
            vec![
                (Code::UnknownFact, 0..4),
                (Code::UnknownKind, 8..9),
                (Code::UnknownFact, 16..24),
                (Code::UnknownNumber, 29..32),
            ]
        );
    }

    #[test]
    fn syntax_errors_point_at_the_token() {
        assert_eq!(errors("k:a and"), vec![(Code::RuleSyntax, 7..7)]);
        assert_eq!(errors("(k:a"), vec![(Code::RuleSyntax, 4..4)]);
        assert_eq!(errors("k:a k:b"), vec![(Code::RuleSyntax, 4..5)]);
        assert_eq!(errors("count = 3"), vec![(Code::RuleSyntax, 6..7)]);
        assert_eq!(errors("k:a & k:b"), vec![(Code::RuleSyntax, 4..5)]);
        assert_eq!(errors(""), vec![(Code::RuleSyntax, 0..0)]);
    }

    #[test]
    fn nesting_is_limited_without_overflow() {
        let deep = format!("{}k:a{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(errors(&deep)[0].0, Code::RuleTooDeep);
        let nots = format!("{}k:a", "not ".repeat(100_000));
        assert_eq!(errors(&nots)[0].0, Code::RuleTooDeep);
        let ok = format!("{}k:a{}", "(".repeat(60), ")".repeat(60));
        parse(&ok);
    }

    #[test]
    fn evaluation_is_kleene_with_justification() {
        let rule = parse("k:a and (k:b or k:c) and not k:d");
        let env = Values(
            [
                (0, Truth::True),
                (1, Truth::Unknown),
                (2, Truth::False),
                (3, Truth::False),
            ]
            .into(),
            None,
        );
        let out = rule.eval(&env);
        assert_eq!(out.value, Truth::Unknown);
        let f = |i| Term::Fact(FactId::from_index(i));
        assert_eq!(out.because, [f(0), f(3)].into());
        assert_eq!(out.open, [f(1)].into());

        let env = Values([(0, Truth::False), (1, Truth::Unknown)].into(), None);
        let out = rule.eval(&env);
        assert_eq!(out.value, Truth::False);
        assert_eq!(out.because, [f(0)].into());
        assert!(out.open.is_empty());
    }

    #[test]
    fn comparison_on_unknown_number_is_unknown() {
        let rule = parse("count > 500");
        assert_eq!(rule.eval(&Values(BTreeMap::new(), None)).value, Truth::Unknown);
        assert_eq!(rule.eval(&Values(BTreeMap::new(), Some(501))).value, Truth::True);
        assert_eq!(rule.eval(&Values(BTreeMap::new(), Some(500))).value, Truth::False);
    }
}
