//! The story signature of an article: a one-permutation MinHash of the 3-word shingles of its
//! body's first [`MAX_WORDS`] words, as the surface analyzer reads them ([`Signer`]), 64
//! buckets of 8 bits each, kept in [`WORDS`] `u64`s.
//!
//! Syndicated copies of a story (a reprint with a new title, a byline added, the last
//! paragraph cut, paragraphs reordered, diacritics, tatweel, ه/ة or hamza spelled otherwise, a
//! few words changed) share most of their shingles once analyzed; two different stories, even
//! on the same subject and place, share few. The share of the hashes two signatures agree on
//! estimates the Jaccard similarity of their shingle sets. Analyzing first is what makes
//! spelling variants not matter: the analyzer folds them and drops stop words. The surface
//! analyzer rather than the stemmed one: stemming a copy's words changes nothing its
//! normalization has not already folded, and cost a fifth of the signature's time. Signing
//! was +17% of the indexing time with the stemmed analyzer and 64 hash functions; see the
//! README for what it costs now.
//!
//! MinHash rather than a 64-bit SimHash: SimHash tracks the cosine of the shingle sets, which
//! falls fast when a short article loses a paragraph (a five-paragraph reprint without its
//! last paragraph differed in 15 bits, half-way to unrelated articles' 32), while the Jaccard
//! estimate stays well above different stories'. On 20,000 generated syndicated articles a
//! SimHash of the same shingles reached precision 0.989 and recall 0.899 at its best distance
//! (14 bits; 16 bits: 0.887 and 0.949), MinHash 1.0000 and 0.9996.
//!
//! One permutation (Li, Owen and Zhang 2012): each shingle is hashed once, the hash's top six
//! bits choose one of the 64 buckets and the bucket keeps its least hash; a bucket no shingle
//! fell in takes the value of another, chosen by a hash of its number and an attempt count
//! (Shrivastava 2017, "optimal densification"), the same for every article, so that two
//! articles agree on a bucket with probability the Jaccard similarity, as with 64 hash
//! functions, for a sixty-fourth of the hashing. Eight bits per bucket (b-bit MinHash) keep a
//! signature to eight `u64` fast fields; a chance agreement (1 in 256) is corrected for.
//!
//! The write side stores the signature of every article; the read side groups copies by
//! [`are_copies`].

use std::sync::Arc;

use tantivy::tokenizer::{RawTokenizer, TextAnalyzer, TokenStream, Tokenizer};
use xxhash_rust::xxh3::xxh3_64;

mod quick_tests;

pub use quick_tests::{FIRST_WORDS, FirstTest, QUICK_WORDS, QuickTests, StorySet};

use super::WordLists;
use super::long_words::MAX_WORD_CHARS;
use super::normalizer::normalize_plain_arabic_into;
use super::tokenizer::WordTokenizer;

/// Words per shingle.
const SHINGLE: usize = 3;
/// The fewest words (analyzed terms, stop words left out) a body needs to be signed. Two
/// different briefs of a line ("police seized cannabis") can be worded alike; only a text long
/// enough tells a reprint from another story in the same words.
const MIN_WORDS: usize = 12;
/// Hashes (buckets) per signature.
pub const HASHES: usize = 64;
/// The `u64`s a signature is kept in: eight 8-bit hashes each.
pub const WORDS: usize = HASHES / 8;

/// The least estimated similarity (Jaccard, 0 to 1) of the shingles of two copies of one
/// story, chosen by measurement on the syndicated corpus (`examples/collapse-quality.rs`).
pub const MIN_COPY_SIMILARITY: f32 = 0.3;

/// The story signature of one article. All zeros: a body too short to sign (fewer than
/// [`MIN_WORDS`] words), which is nobody's copy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Signature(pub [u64; WORDS]);

impl Signature {
    /// Whether the body was too short to sign.
    pub fn is_empty(&self) -> bool {
        self.0 == [0; WORDS]
    }

    /// How many of the [`HASHES`] hashes of two signatures agree.
    pub fn agreeing(&self, other: &Signature) -> u32 {
        self.0
            .iter()
            .zip(other.0)
            .map(|(a, b)| zero_bytes(a ^ b))
            .sum()
    }

    /// The estimated Jaccard similarity of the two bodies' shingles, 0 to 1.
    pub fn similarity(&self, other: &Signature) -> f32 {
        similarity_of(self.agreeing(other))
    }

    /// The signature's [`BANDS`] bands, as keys (band number and value) to look copies up by:
    /// two copies almost always have a band in common (see [`BANDS`]).
    pub fn bands(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, word)| {
            (0..4).map(move |j| {
                let band = (i * 4 + j) as u32;
                band << 16 | (word >> (j * 16) & 0xFFFF) as u32
            })
        })
    }

    /// Whether two signatures have a band in common.
    pub fn shares_band(&self, other: &Signature) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| zero_u16s(a ^ b))
    }
}

/// The estimated Jaccard similarity of two signatures with `agreeing` hashes in common.
pub fn similarity_of(agreeing: u32) -> f32 {
    // Two different hashes agree in their low 8 bits one time in 256.
    let chance = 1.0 / 256.0;
    let share = agreeing as f32 / HASHES as f32;
    ((share - chance) / (1.0 - chance)).max(0.0)
}

/// The bands of a signature: pairs of hashes, so that looking copies up by band finds them
/// without comparing every pair. Copies with a share `J` of shingles in common miss all 32
/// bands with probability (1 − J²)³²: 5% at J = 0.3 (the threshold), 0.5% at 0.4, 0.01% at
/// 0.5; different stories share one by chance about once in 2,000 pairs, and are then
/// compared in full.
pub const BANDS: usize = HASHES / 2;

/// Whether some 16-bit lane of `x` is zero.
fn zero_u16s(x: u64) -> bool {
    const LOW15: u64 = 0x7FFF_7FFF_7FFF_7FFF;
    let t = (x & LOW15).wrapping_add(LOW15);
    !(t | x | LOW15) != 0
}

/// The number of zero bytes in `x`, without branches: a byte's high bit is set in `t` exactly
/// when the byte is zero.
fn zero_bytes(x: u64) -> u32 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let t = (x & LOW7).wrapping_add(LOW7);
    (!(t | x | LOW7)).count_ones()
}

/// The most words of a body signed: its first 200, stop words left out. Outlets cut a wire
/// from its end, not its start, and an article's opening tells its story; a long article is
/// signed in a fraction of the time.
pub const MAX_WORDS: usize = 200;

/// Reads bodies into story signatures: their words as the surface analyzer gives them
/// (normalized, long words and stop words left out), each hashed as it is read.
///
/// The surface analyzer's stages, run word by word, built a token for every word and scanned
/// it five times; a word of plain Arabic letters or of ASCII, most words, is normalized here
/// in one pass, and only the others go through the analyzer's stages.
#[derive(Clone)]
pub struct Signer {
    /// The hashes of the stop words, sorted.
    stop_words: Arc<[u64]>,
    words: WordTokenizer,
    /// The analyzer's normalization, for the words the quick paths do not cover.
    normalizer: TextAnalyzer,
    /// The word being hashed.
    buffer: String,
}

impl Signer {
    /// A signer with the stop words of `lists`.
    pub fn new(lists: &WordLists) -> Signer {
        let mut stop_words: Vec<u64> = lists
            .stopwords_ar
            .iter()
            .map(|word| xxh3_64(word.as_bytes()))
            .collect();
        stop_words.sort_unstable();
        stop_words.dedup();
        Signer {
            stop_words: stop_words.into(),
            words: WordTokenizer::default(),
            normalizer: super::normalized(RawTokenizer::default()).build(),
            buffer: String::new(),
        }
    }

    /// The signature of `body`; empty for a body of fewer than [`MIN_WORDS`] words.
    pub fn sign(&mut self, body: &str) -> Signature {
        minhash(&self.word_hashes(body))
    }

    /// The hashes of the first [`MAX_WORDS`] words of `body`, as the surface analyzer reads them.
    fn word_hashes(&mut self, body: &str) -> Vec<u64> {
        let Signer {
            stop_words,
            words,
            normalizer,
            buffer,
        } = self;
        let mut hashes = Vec::with_capacity(MAX_WORDS);
        let mut stream = words.token_stream(body);
        while hashes.len() < MAX_WORDS && stream.advance() {
            let word = &stream.token().text;
            if word.is_ascii() {
                buffer.clear();
                buffer.push_str(word);
                buffer.make_ascii_lowercase();
            } else if !normalize_plain_arabic_into(word, buffer) {
                let mut normalized = normalizer.token_stream(word);
                let Some(token) = normalized.next() else {
                    continue;
                };
                buffer.clear();
                buffer.push_str(&token.text);
            }
            if buffer.len() > MAX_WORD_CHARS && buffer.chars().count() > MAX_WORD_CHARS {
                continue;
            }
            let hash = xxh3_64(buffer.as_bytes());
            if stop_words.binary_search(&hash).is_err() {
                hashes.push(hash);
            }
        }
        hashes
    }
}

/// Buckets by the top bits of a hash: 64 buckets, 6 bits.
const BUCKET_BITS: u32 = HASHES.trailing_zeros();

fn minhash(words: &[u64]) -> Signature {
    if words.len() < MIN_WORDS {
        return Signature::default();
    }
    let mut minima = [u64::MAX; HASHES];
    for window in words.windows(SHINGLE) {
        let hash = shingle_hash(window[0], window[1], window[2]);
        let bucket = (hash >> (64 - BUCKET_BITS)) as usize;
        let rest = hash & (u64::MAX >> BUCKET_BITS);
        minima[bucket] = minima[bucket].min(rest);
    }
    let filled = minima;
    for (bucket, minimum) in minima.iter_mut().enumerate() {
        let mut attempt = 0u64;
        while *minimum == u64::MAX {
            // At least one bucket is filled: a body signed has ten shingles or more.
            let donor = (mix((bucket as u64) << 32 | attempt) % HASHES as u64) as usize;
            *minimum = filled[donor];
            attempt += 1;
        }
    }
    let mut signature = [0u64; WORDS];
    for (i, minimum) in minima.iter().enumerate() {
        signature[i / 8] |= (minimum & 0xFF) << (i % 8 * 8);
    }
    // All zeros means "too short"; a body whose 64 hashes all end in a zero byte (one in
    // 2^512) keeps one bit.
    if signature == [0; WORDS] {
        signature[0] = 1;
    }
    Signature(signature)
}

/// The hash of a shingle of three words' hashes: order matters ("a b c" is not "c b a").
fn shingle_hash(a: u64, b: u64, c: u64) -> u64 {
    mix(a ^ mix(b ^ mix(c)))
}

/// SplitMix64's finalizer: every bit of the result depends on every bit of `x`.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Whether two signatures are those of copies of one story.
pub fn are_copies(a: &Signature, b: &Signature) -> bool {
    !a.is_empty() && !b.is_empty() && a.similarity(b) >= MIN_COPY_SIMILARITY
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{WordLists, surface_analyzer};
    use crate::schema::IndexSchema;
    use proptest::prelude::*;

    fn lists() -> WordLists {
        IndexSchema::builtin().word_lists
    }

    fn sig(text: &str) -> Signature {
        Signer::new(&lists()).sign(text)
    }

    /// The words the surface analyzer gives, hashed.
    fn analyzed(text: &str) -> Vec<u64> {
        let mut analyzer = surface_analyzer(&lists());
        let mut stream = analyzer.token_stream(text);
        let mut hashes = vec![];
        while let Some(token) = stream.next() {
            hashes.push(xxh3_64(token.text.as_bytes()));
        }
        hashes.truncate(MAX_WORDS);
        hashes
    }

    #[test]
    fn words_are_read_as_the_surface_analyzer_reads_them() {
        let mut signer = Signer::new(&lists());
        for text in [
            STORY_AR,
            "Les services de SÉCURITÉ ont démantelé l'œuvre ﻻ ٣٤ سنة الأَمْن خليـــة في من",
            "x\u{200F}y آل ؤ ة ى ک ٱلله ﷲ 1984 naïve façade",
            "",
        ] {
            assert_eq!(signer.word_hashes(text), analyzed(text), "{text}");
        }
        let long = "كلمة ".repeat(MAX_WORDS * 2);
        assert_eq!(signer.word_hashes(&long).len(), MAX_WORDS);
    }

    const STORY_AR: &str = "أعلنت المديرية العامة للأمن الوطني، يوم الثلاثاء، عن تفكيك خلية إرهابية \
        تتكون من خمسة عناصر تنشط بمدينة طنجة ونواحيها، وذلك في إطار عملية أمنية مشتركة مع \
        المكتب المركزي للأبحاث القضائية.\n\n\
        وأوضح بلاغ للمديرية أن عمليات التفتيش المنجزة بمنازل المشتبه فيهم أسفرت عن حجز أسلحة \
        بيضاء ومواد كيميائية يشتبه في استعمالها لصناعة متفجرات، إضافة إلى وثائق تحريضية.\n\n\
        وأضاف المصدر ذاته أن الأبحاث الأولية كشفت أن أفراد هذه الخلية كانوا يخططون لتنفيذ \
        عمليات تستهدف منشآت حيوية ومقرات أمنية، بتنسيق مع عناصر تنشط في منطقة الساحل.\n\n\
        وقد تم وضع المشتبه فيهم تحت تدابير الحراسة النظرية رهن إشارة البحث القضائي الذي يجريه \
        المكتب تحت إشراف النيابة العامة المكلفة بقضايا الإرهاب والتطرف.\n\n\
        وتأتي هذه العملية في سياق الجهود المتواصلة لمواجهة التهديدات الإرهابية ورصد \
        المخططات التي تحاول المس بأمن المملكة وسلامة المواطنين.";

    /// The story reprinted: a byline, diacritics and tatweel, ة written ه and hamza dropped,
    /// the last paragraph cut, two paragraphs swapped, a word changed.
    fn reprint(story: &str) -> String {
        let mut paragraphs: Vec<&str> = story.split("\n\n").collect();
        paragraphs.pop();
        paragraphs.swap(1, 2);
        let text = paragraphs.join("\n\n");
        let text = text
            .replace("الإرهابية", "الارهابيه")
            .replace("خلية", "خليـــة")
            .replace("الأمن", "الأَمْن")
            .replace("الثلاثاء", "الأربعاء");
        format!("طنجة - وكالات\n\n{text}")
    }

    /// Another story on the same subject and place, which repeats the first one's opening.
    const OTHER_AR: &str = "أعلنت المديرية العامة للأمن الوطني، يوم الثلاثاء، عن تفكيك خلية إرهابية \
        تتكون من خمسة عناصر تنشط بمدينة طنجة ونواحيها.\n\n\
        وفي تطور جديد، مثل المتهمون اليوم أمام قاضي التحقيق بملحقة محكمة الاستئناف بسلا، \
        الذي قرر متابعتهم في حالة اعتقال بتهم تكوين عصابة لإعداد وارتكاب أفعال إرهابية.\n\n\
        وطالب دفاع المتهمين بمنحهم مهلة لإعداد الدفاع، فيما التمست النيابة العامة تأجيل \
        الجلسة إلى موعد لاحق لاستكمال الخبرة التقنية على الهواتف المحجوزة.\n\n\
        وقررت المحكمة تأجيل النظر في الملف إلى الشهر المقبل، مع إبقاء المتهمين رهن الاعتقال \
        بالسجن المحلي، في انتظار استكمال التحقيق التفصيلي معهم.";

    #[test]
    fn a_reprint_with_edits_stays_near() {
        let (a, b) = (sig(STORY_AR), sig(&reprint(STORY_AR)));
        assert!(are_copies(&a, &b), "similarity {}", a.similarity(&b));
    }

    #[test]
    fn another_story_on_the_same_subject_stays_apart() {
        let (a, b) = (sig(STORY_AR), sig(OTHER_AR));
        assert!(!are_copies(&a, &b), "similarity {}", a.similarity(&b));
        assert!(!are_copies(&sig(&reprint(STORY_AR)), &b));
    }

    #[test]
    fn latin_copies_with_accents_and_case_changed_stay_near() {
        let story = "Les services de sécurité ont démantelé mardi une cellule terroriste de \
            cinq membres active à Tanger et dans sa région, selon un communiqué officiel.\n\n\
            Les perquisitions menées aux domiciles des suspects ont permis la saisie d'armes \
            blanches et de produits chimiques destinés à la fabrication d'explosifs.\n\n\
            Selon les premières investigations, les membres de la cellule projetaient des \
            attaques contre des installations vitales et des sièges sécuritaires.\n\n\
            Les suspects ont été placés en garde à vue à la disposition de l'enquête menée \
            sous la supervision du parquet compétent en matière de terrorisme.";
        let copy = story
            .replace("sécurité", "securite")
            .replace("Tanger", "TANGER")
            .replace("mardi", "mercredi");
        let copy = format!("Par notre correspondant\n\n{copy}");
        assert!(are_copies(&sig(story), &sig(&copy)));
        assert!(!are_copies(&sig(story), &sig(STORY_AR)));
    }

    #[test]
    fn a_short_body_is_nobodys_copy() {
        assert!(sig("").is_empty());
        assert!(sig("في من").is_empty(), "stop words only");
        let brief = "حجز طن من المخدرات بميناء طنجة المتوسط";
        assert!(sig(brief).is_empty());
        assert!(!are_copies(&sig(brief), &sig(brief)));
        let story = sig(STORY_AR);
        assert!(!story.is_empty());
        assert_eq!(story.similarity(&story), 1.0);
    }

    #[test]
    fn bands_are_found_in_common() {
        let a = Signature([0x1111_2222_3333_4444; WORDS]);
        let mut b = Signature([0x5555_6666_7777_8888; WORDS]);
        assert!(!a.shares_band(&b));
        assert!(a.bands().all(|key| !b.bands().any(|k| k == key)));
        b.0[3] = 0x9999_2222_AAAA_BBBB;
        assert!(a.shares_band(&b));
        assert_eq!(
            a.bands().filter(|key| b.bands().any(|k| k == *key)).count(),
            1
        );
        assert_eq!(a.bands().count(), BANDS);
    }

    #[test]
    fn the_quick_tests_pass_a_copy_and_stop_another_story() {
        let (story, copy, other) = (sig(STORY_AR), sig(&reprint(STORY_AR)), sig(OTHER_AR));
        let tests = QuickTests::new([&story]);
        let passed = |article: &Signature| {
            let first = tests.first(article.0[..FIRST_WORDS].try_into().unwrap());
            tests.second(first, article.0[..QUICK_WORDS].try_into().unwrap())
        };
        assert_eq!(passed(&copy), 1);
        assert_eq!(passed(&other), 0);
    }

    #[test]
    fn zero_bytes_are_counted_exactly() {
        assert_eq!(zero_bytes(0), 8);
        assert_eq!(zero_bytes(u64::MAX), 0);
        assert_eq!(zero_bytes(0x0100_0000_0000_0080), 6);
        assert_eq!(zero_bytes(0x8000_0000_0000_0001), 6);
    }

    proptest! {
        #[test]
        fn signature_never_panics(text in "\\PC*") {
            let _ = sig(&text);
        }

        #[test]
        fn words_are_read_as_the_analyzer_reads_them(text in "\\PC{0,300}") {
            prop_assert_eq!(Signer::new(&lists()).word_hashes(&text), analyzed(&text));
        }

        #[test]
        fn arabic_and_latin_words_are_read_as_the_analyzer_reads_them(
            text in "[ا-ي ةىأإآؤئ ـ َ ّ a-zA-Zéàœ0-9٠-٩.,]{0,400}"
        ) {
            prop_assert_eq!(Signer::new(&lists()).word_hashes(&text), analyzed(&text));
        }

        #[test]
        fn signature_is_deterministic(text in "[ا-ي ة ـ َ a-z]{0,200}") {
            prop_assert_eq!(sig(&text), sig(&text));
        }
    }
}
