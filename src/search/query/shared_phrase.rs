//! One phrase checked once for all the forms of it that a query searches in a view without
//! positions.
//!
//! A surface view keeps no positions (see [`super::Planner::phrase_checked`]): its phrase is
//! matched and scored on the stemmed view of the same text, and the surface view must have
//! each of its words as written. A phrase and its proclitic forms (`"الأمن الوطني"`,
//! `"والأمن الوطني"`, `"بالأمن الوطني"`) in the title's and the body's surface views, beside
//! the stemmed views' own phrase, all check the same stemmed phrase (`امن وطني`): as separate
//! clauses, each read the positions of every article with both stems again. [`SharedPhrase`]
//! reads them once per article and adds each form's weight where its words are present: the
//! same articles, and the same sum of the same phrase score times each form's weight.

use std::fmt;

use tantivy::postings::SegmentPostings;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// A phrase, and the forms that count it: each its weight and the words it requires as
/// written (none: the phrase's own clause).
pub(super) struct SharedPhrase {
    phrase: Box<dyn Query>,
    forms: Vec<(Score, Vec<Term>)>,
}

impl SharedPhrase {
    /// `phrase` (a query of the parser's), counted by each of `forms`.
    pub fn new(phrase: Box<dyn Query>, forms: Vec<(Score, Vec<Term>)>) -> SharedPhrase {
        SharedPhrase { phrase, forms }
    }
}

impl Clone for SharedPhrase {
    fn clone(&self) -> Self {
        SharedPhrase {
            phrase: self.phrase.box_clone(),
            forms: self.forms.clone(),
        }
    }
}

impl fmt::Debug for SharedPhrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedPhrase")
            .field("phrase", &self.phrase)
            .field("forms", &self.forms)
            .finish()
    }
}

impl Query for SharedPhrase {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SharedPhraseWeight {
            phrase: self.phrase.weight(enable_scoring)?,
            forms: self.forms.clone(),
        }))
    }

    /// The phrase's terms, then each form's words: what the clauses it replaces visited.
    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.phrase.query_terms(visitor);
        for (_, words) in &self.forms {
            for word in words {
                visitor(word, false);
            }
        }
    }
}

struct SharedPhraseWeight {
    phrase: Box<dyn Weight>,
    forms: Vec<(Score, Vec<Term>)>,
}

impl Weight for SharedPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.shared_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.shared_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        // The forms' weights summed, described as tantivy describes a boost, so that rasd's
        // explanations show it as the phrase's weight like any other.
        let description = if scorer.factor == 1.0 {
            "the phrase, in the forms written".to_string()
        } else {
            format!("Boost x{} of ...", scorer.factor)
        };
        let mut explanation = Explanation::new_with_string(description, scorer.score());
        explanation.add_detail(self.phrase.explain(reader, doc)?);
        Ok(explanation)
    }
}

impl SharedPhraseWeight {
    /// The scorer of the phrase in one segment, counted by the forms present.
    fn shared_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<SharedPhraseScorer> {
        let mut forms = Vec::with_capacity(self.forms.len());
        'forms: for (weight, words) in &self.forms {
            let mut postings = Vec::with_capacity(words.len());
            for word in words {
                let inverted = reader.inverted_index(word.field())?;
                match inverted.read_postings(word, IndexRecordOption::Basic)? {
                    Some(list) => postings.push(list),
                    // A word the segment lacks: the form counts no article of it.
                    None => continue 'forms,
                }
            }
            forms.push(Form {
                weight: *weight,
                words: postings,
            });
        }
        let phrase = self.phrase.scorer(reader, boost)?;
        let mut scorer = SharedPhraseScorer {
            phrase,
            forms,
            factor: 0.0,
        };
        let doc = scorer.phrase.doc();
        if doc != TERMINATED && !scorer.counts(doc) {
            scorer.advance();
        }
        Ok(scorer)
    }
}

/// A form's weight and its words' postings in one segment.
struct Form {
    weight: Score,
    words: Vec<SegmentPostings>,
}

struct SharedPhraseScorer {
    phrase: Box<dyn Scorer>,
    forms: Vec<Form>,
    /// The sum of the weights of the forms present at the current document.
    factor: Score,
}

impl SharedPhraseScorer {
    /// Whether some form counts the phrase's document `doc`, its weights summed in `factor`.
    fn counts(&mut self, doc: DocId) -> bool {
        let mut counted = false;
        self.factor = 0.0;
        for form in &mut self.forms {
            let present = form.words.iter_mut().all(|word| {
                if word.doc() < doc {
                    word.seek(doc);
                }
                word.doc() == doc
            });
            if present {
                counted = true;
                self.factor += form.weight;
            }
        }
        counted
    }
}

impl DocSet for SharedPhraseScorer {
    fn advance(&mut self) -> DocId {
        loop {
            let doc = self.phrase.advance();
            if doc == TERMINATED || self.counts(doc) {
                return doc;
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.phrase.seek(target);
        if doc == TERMINATED || self.counts(doc) {
            return doc;
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.phrase.doc()
    }

    fn size_hint(&self) -> u32 {
        self.phrase.size_hint()
    }

    fn cost(&self) -> u64 {
        self.phrase.cost()
    }
}

impl Scorer for SharedPhraseScorer {
    fn score(&mut self) -> Score {
        self.phrase.score() * self.factor
    }
}
