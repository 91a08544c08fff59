//! Quick tests of whether an article may be a copy of some stories, made on the first words
//! of its signature before the whole of it is read.
//!
//! A search that names the copies ranked below its walk asks this of thousands of matches
//! against the ten stories of a page, and most are no copy of any. Each signature word is a
//! fast-field column of its own, so a word read for every match is a pass over a column:
//! reading every signature whole, and comparing it with each story, was most of what
//! collapsing cost a query with a few thousand matches. The tests:
//!
//! 1. at least one of the 16 hashes of the first [`FIRST_WORDS`] words agrees with the
//!    story's;
//! 2. at least two of the 32 hashes of the first [`QUICK_WORDS`] words agree.
//!
//! Two different articles agree on a hash one time in 256: they pass the first test one time
//! in 16, and both one time in 190. A copy (similarity 0.3 or more, each hash agreeing with
//! that probability) fails the first one time in 300 at most, and the second after the first
//! one time in 13,000. With the ten stories of a page, half of all matches pass the first
//! test with some story, one in 19 the second.
//!
//! Both are made against every story at once, by lookup: a table gives, for each position
//! (hash number) and value, the stories that hold it.

use super::{Signature, WORDS};

/// The signature words the first test reads.
pub const FIRST_WORDS: usize = 2;
/// The signature words both tests read.
pub const QUICK_WORDS: usize = 4;

const _: () = assert!(FIRST_WORDS < QUICK_WORDS && QUICK_WORDS <= WORDS);

/// The (position, value) pairs of the hashes of [`QUICK_WORDS`] words.
const ENTRIES: usize = QUICK_WORDS * 8 * 256;

/// The stories an article may be a copy of, by the quick tests: bit `i` for the `i`-th.
pub type StorySet = u128;

/// The hashes of the first words of some stories' signatures (at most [`QuickTests::MAX`]),
/// by position and value.
pub struct QuickTests {
    /// Per 32 stories, for each position and value, those that hold it: bit `i` for the `i`-th
    /// of the 32. A table is 32 KB, small enough to stay in the cache.
    tables: Vec<Box<[u32; ENTRIES]>>,
}

/// What the first test found of an article: the stories that passed it, and those of them
/// whose hashes agreed twice already (they then pass the second too).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FirstTest {
    pub passed: StorySet,
    twice: StorySet,
}

impl QuickTests {
    /// The most stories the tests are made against.
    pub const MAX: usize = 128;

    /// The tests against the stories whose signatures are `stories`, in order; those after the
    /// first [`Self::MAX`] are left out.
    pub fn new<'a>(stories: impl IntoIterator<Item = &'a Signature>) -> Self {
        let mut tables: Vec<Box<[u32; ENTRIES]>> = vec![];
        for (i, signature) in stories.into_iter().take(Self::MAX).enumerate() {
            if i % 32 == 0 {
                tables.push(vec![0; ENTRIES].try_into().expect("the length of a table"));
            }
            let table = tables.last_mut().expect("a table was added");
            for position in 0..QUICK_WORDS * 8 {
                table[entry(position, &signature.0)] |= 1 << (i % 32);
            }
        }
        QuickTests { tables }
    }

    /// The first test, on an article's first [`FIRST_WORDS`] signature words.
    pub fn first(&self, words: &[u64; FIRST_WORDS]) -> FirstTest {
        let mut found = FirstTest::default();
        for (i, table) in self.tables.iter().enumerate() {
            let (mut once, mut twice) = (0, 0);
            for position in 0..FIRST_WORDS * 8 {
                count(table[entry(position, words)], &mut once, &mut twice);
            }
            found.passed |= StorySet::from(once) << (32 * i);
            found.twice |= StorySet::from(twice) << (32 * i);
        }
        found
    }

    /// The stories that pass both tests: those that passed the `first`, now that the article's
    /// first [`QUICK_WORDS`] signature words are read.
    pub fn second(&self, first: FirstTest, words: &[u64; QUICK_WORDS]) -> StorySet {
        let mut passed = 0;
        for (i, table) in self.tables.iter().enumerate() {
            let of_table = |stories: StorySet| (stories >> (32 * i)) as u32;
            let (mut once, mut twice) = (of_table(first.passed), of_table(first.twice));
            for position in FIRST_WORDS * 8..QUICK_WORDS * 8 {
                count(table[entry(position, words)], &mut once, &mut twice);
            }
            passed |= StorySet::from(twice & of_table(first.passed)) << (32 * i);
        }
        passed
    }
}

/// Counts one more agreeing hash for the stories `held`, up to two.
fn count(held: u32, once: &mut u32, twice: &mut u32) {
    *twice |= *once & held;
    *once |= held;
}

/// The table entry of the hash at `position` of `words`: the position and the hash's value.
fn entry(position: usize, words: &[u64]) -> usize {
    position * 256 + (words[position / 8] >> (position % 8 * 8) & 0xFF) as usize
}

#[cfg(test)]
mod tests {
    use super::super::zero_bytes;
    use super::*;
    use proptest::prelude::*;

    /// The hashes of the first `words` words of `a` and `b` that agree, counted one by one.
    fn agreeing(a: &Signature, b: &Signature, words: usize) -> u32 {
        (0..words).map(|i| zero_bytes(a.0[i] ^ b.0[i])).sum()
    }

    /// The stories that pass the tests with `article`, one by one: the first, and both.
    fn expected(stories: &[Signature], article: &Signature) -> (StorySet, StorySet) {
        let mut passed = (0, 0);
        for (i, story) in stories.iter().enumerate().take(QuickTests::MAX) {
            if agreeing(story, article, FIRST_WORDS) >= 1 {
                passed.0 |= 1 << i;
                if agreeing(story, article, QUICK_WORDS) >= 2 {
                    passed.1 |= 1 << i;
                }
            }
        }
        passed
    }

    fn tested(stories: &[Signature], article: &Signature) -> (StorySet, StorySet) {
        let tests = QuickTests::new(stories);
        let first = tests.first(article.0[..FIRST_WORDS].try_into().unwrap());
        let both = tests.second(first, article.0[..QUICK_WORDS].try_into().unwrap());
        (first.passed, both)
    }

    #[test]
    fn one_hash_in_common_passes_the_first_test_only() {
        let story = Signature([0x0101_0101_0101_0101; WORDS]);
        let mut article = Signature([0x0202_0202_0202_0202; WORDS]);
        assert_eq!(tested(&[story], &article), (0, 0));
        article.0[1] = 0x0202_0202_0201_0202;
        assert_eq!(tested(&[story], &article), (1, 0));
        // A second hash in common among the words the second test reads.
        article.0[3] = 0x0102_0202_0202_0202;
        assert_eq!(tested(&[story], &article), (1, 1));
        // Two in common there but none in the first words: the first test fails.
        article.0[1] = 0x0202_0202_0202_0202;
        article.0[2] = 0x0202_0202_0202_0201;
        assert_eq!(tested(&[story], &article), (0, 0));
        // Two in the first words pass both.
        let mut twice = Signature([0x0202_0202_0202_0202; WORDS]);
        twice.0[0] = 0x0202_0101_0202_0202;
        assert_eq!(tested(&[story], &twice), (1, 1));
    }

    #[test]
    fn stories_beyond_the_most_are_left_out() {
        let stories = vec![Signature([7; WORDS]); QuickTests::MAX + 3];
        let all = StorySet::MAX;
        assert_eq!(tested(&stories, &Signature([7; WORDS])), (all, all));
    }

    proptest! {
        #[test]
        fn the_tables_answer_as_comparing_one_by_one(
            stories in proptest::collection::vec(any::<[u64; QUICK_WORDS]>(), 0..80),
            article in any::<[u64; QUICK_WORDS]>(),
            copied in proptest::collection::vec((any::<usize>(), 0..QUICK_WORDS * 8), 0..4),
        ) {
            let signature = |words: [u64; QUICK_WORDS]| {
                let mut signature = Signature([0; WORDS]);
                signature.0[..QUICK_WORDS].copy_from_slice(&words);
                signature
            };
            let stories: Vec<Signature> = stories.into_iter().map(signature).collect();
            let mut article = signature(article);
            // A few hashes copied from stories, so that every answer is tried.
            for (story, position) in copied.into_iter().filter(|_| !stories.is_empty()) {
                let story = &stories[story % stories.len()];
                let mask = 0xFF << (position % 8 * 8);
                let word = &mut article.0[position / 8];
                *word = *word & !mask | story.0[position / 8] & mask;
            }
            prop_assert_eq!(tested(&stories, &article), expected(&stories, &article));
        }
    }
}
