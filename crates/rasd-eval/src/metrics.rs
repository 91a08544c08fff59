//! Ranking metrics over graded judgments, as TREC computes them.
//!
//! Grades: 0 (or unjudged) not relevant, 1 partially relevant, 2 highly relevant. A document
//! counts as relevant for MRR and recall from grade 1.

use std::collections::BTreeMap;

/// Graded judgments of one query: document id → grade.
pub type Judgments = BTreeMap<String, u8>;

fn gain(grade: u8) -> f64 {
    f64::from((1u32 << grade) - 1)
}

fn discount(rank0: usize) -> f64 {
    (rank0 as f64 + 2.0).log2()
}

/// Normalized discounted cumulative gain of the first `k` results (exponential gain).
pub fn ndcg_at(k: usize, ranked: &[String], judgments: &Judgments) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, id)| gain(judgments.get(id).copied().unwrap_or(0)) / discount(i))
        .sum();
    let mut ideal: Vec<u8> = judgments.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, &g)| gain(g) / discount(i))
        .sum();
    // An empty sum is -0.0 in Rust; report a plain 0.
    if idcg == 0.0 || dcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Reciprocal rank of the first relevant result within the first `k`, else 0.
pub fn mrr_at(k: usize, ranked: &[String], judgments: &Judgments) -> f64 {
    ranked
        .iter()
        .take(k)
        .position(|id| judgments.get(id).is_some_and(|&g| g > 0))
        .map_or(0.0, |i| 1.0 / (i as f64 + 1.0))
}

/// Share of the relevant documents found within the first `k` results.
pub fn recall_at(k: usize, ranked: &[String], judgments: &Judgments) -> f64 {
    let relevant = judgments.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(k)
        .filter(|id| judgments.get(*id).is_some_and(|&g| g > 0))
        .count();
    found as f64 / relevant as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn judged() -> Judgments {
        [("a", 2), ("b", 1), ("c", 0)]
            .into_iter()
            .map(|(id, g)| (id.to_string(), g))
            .collect()
    }

    #[test]
    fn ideal_ranking_scores_one() {
        let ranked = ids(&["a", "b", "x"]);
        assert!((ndcg_at(10, &ranked, &judged()) - 1.0).abs() < 1e-12);
        assert_eq!(mrr_at(10, &ranked, &judged()), 1.0);
        assert_eq!(recall_at(10, &ranked, &judged()), 1.0);
    }

    #[test]
    fn swapped_ranking_by_hand() {
        // DCG = 1/log2(2) + 3/log2(3); IDCG = 3/log2(2) + 1/log2(3).
        let ranked = ids(&["b", "a"]);
        let expected = (1.0 + 3.0 / 3f64.log2()) / (3.0 + 1.0 / 3f64.log2());
        assert!((ndcg_at(10, &ranked, &judged()) - expected).abs() < 1e-12);
    }

    #[test]
    fn misses_and_cutoffs() {
        let ranked = ids(&["x", "y", "b"]);
        assert_eq!(mrr_at(10, &ranked, &judged()), 1.0 / 3.0);
        assert_eq!(mrr_at(2, &ranked, &judged()), 0.0);
        assert_eq!(recall_at(10, &ranked, &judged()), 0.5);
        assert_eq!(ndcg_at(10, &[], &judged()), 0.0);
    }
}
