//! Lottery (积分抽奖): prizes with published odds, and the draw: a pure function of the
//! odds, which prizes are in stock, and one random number (the API feeds it the OS's
//! CSPRNG; tests feed it a seeded generator).

use serde::{Deserialize, Serialize};

use crate::dto::I18nText;

/// Odds are in basis points: 10,000 = certain.
pub const ODDS_SCALE: u32 = 10_000;

/// What a prize gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum PrizeKind {
    /// Points into the balance.
    Points,
    /// A catalogue item, as an order of no points (shipped to the default address).
    Item,
    /// A voucher's wallet code (a virtual catalogue item), valid the coupon days.
    Coupon,
}

/// A prize as the member sees it before drawing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prize {
    /// Prize id.
    pub id: i64,
    /// Its name.
    pub name: I18nText,
    /// What it gives.
    pub kind: PrizeKind,
    /// Points it gives (a points prize).
    #[serde(default)]
    pub points: Option<i64>,
    /// The catalogue item it gives (an item or coupon prize).
    #[serde(default)]
    pub item_id: Option<i64>,
    /// The item's image.
    #[serde(default)]
    pub image: Option<String>,
    /// Chance per draw, in basis points.
    pub probability_bp: i64,
    /// How many are left (0: drawing it gives no prize).
    pub stock_left: i64,
}

/// `GET /api/lotteries/current`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lottery {
    /// Lottery id.
    pub id: i64,
    /// Its name.
    pub name: I18nText,
    /// Points a draw costs.
    pub cost_points: i64,
    /// Draws the member has left today.
    pub draws_left_today: i64,
    /// Draws a member may make in a local day.
    pub draws_per_day: i64,
    /// The prizes, with their odds and stock.
    pub prizes: Vec<Prize>,
    /// Chance of no prize, in basis points (with stock as it is now).
    pub no_prize_bp: i64,
}

/// `POST /api/lotteries/{id}/draws` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawResult {
    /// The prize won, if any.
    pub prize: Option<Prize>,
    /// Whether the draw landed on a prize that was out of stock (so: no prize).
    pub out_of_stock: bool,
    /// The member's balance after the draw (and the prize).
    pub balance: i64,
    /// Draws left today.
    pub draws_left_today: i64,
    /// The order an item prize made.
    #[serde(default)]
    pub order_id: Option<i64>,
    /// The wallet code a coupon prize issued (`XXXX-XXXX-XXXX`).
    #[serde(default)]
    pub code: Option<String>,
}

/// `POST /api/admin/lotteries` body (operator): a new lottery closes the running one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLottery {
    /// Its name.
    pub name: I18nText,
    /// Points a draw costs (> 0).
    pub cost_points: i64,
    /// Draws per member per local day (> 0).
    pub draws_per_day: i64,
    /// The prizes (1–12; odds together at most 10,000 bp).
    pub prizes: Vec<NewPrize>,
}

/// A prize of a new lottery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPrize {
    /// Its name.
    pub name: I18nText,
    /// What it gives.
    pub kind: PrizeKind,
    /// Points it gives (> 0): a points prize only.
    #[serde(default)]
    pub points: Option<i64>,
    /// The catalogue item: a physical one for an item prize, a virtual one (a voucher)
    /// for a coupon prize.
    #[serde(default)]
    pub item_id: Option<i64>,
    /// Chance per draw, in basis points (> 0).
    pub probability_bp: i64,
    /// How many there are (≥ 0).
    pub stock: i64,
}

/// A prize as the operator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminPrize {
    /// Prize id.
    pub id: i64,
    /// Its name.
    pub name: I18nText,
    /// What it gives.
    pub kind: PrizeKind,
    /// Points it gives (a points prize).
    pub points: Option<i64>,
    /// The catalogue item it gives (an item or coupon prize).
    pub item_id: Option<i64>,
    /// Chance per draw, in basis points.
    pub probability_bp: i64,
    /// How many are left.
    pub stock: i64,
    /// How many draws won it.
    pub won: i64,
}

/// A lottery as the operator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminLottery {
    /// Lottery id.
    pub id: i64,
    /// Its name.
    pub name: I18nText,
    /// Points a draw costs.
    pub cost_points: i64,
    /// Draws per member per local day.
    pub draws_per_day: i64,
    /// Whether members may draw (not closed).
    pub open: bool,
    /// When it was opened (RFC 3339).
    pub created_at: String,
    /// When it was closed (by an operator, or by a newer lottery).
    pub closed_at: Option<String>,
    /// Draws made.
    pub draws: i64,
    /// Points the draws took.
    pub points_spent: i64,
    /// Its prizes, in their published order.
    pub prizes: Vec<AdminPrize>,
}

/// `GET /api/admin/lotteries`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminLotteries {
    /// Every lottery, newest first.
    pub lotteries: Vec<AdminLottery>,
}

/// The most prizes a lottery may have.
pub const PRIZES_MAX: usize = 12;
/// The most characters a lottery's or a prize's name may have in each language.
pub const LOTTERY_NAME_MAX: usize = 40;

/// Why a new lottery is refused before it reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LotteryError {
    /// The lottery's or a prize's name is empty or over 40 characters, or holds control
    /// or direction characters.
    Name,
    /// A cost per draw that is not positive.
    Cost,
    /// Draws per day that are not positive.
    DrawsPerDay,
    /// No prize, or more than 12.
    PrizeCount,
    /// Odds that are not each positive and together at most 10,000 bp.
    Odds(OddsError),
    /// A points prize without points (or with an item), or an item or coupon prize
    /// without an item (or with points).
    PrizeShape,
    /// A prize's stock below zero.
    Stock,
}

impl LotteryError {
    /// The reason in English, for the API's error message.
    pub fn message(self) -> &'static str {
        match self {
            LotteryError::Name => "names need 1–40 characters in both languages, without control or direction characters",
            LotteryError::Cost => "a draw costs a positive number of points",
            LotteryError::DrawsPerDay => "draws per day must be positive",
            LotteryError::PrizeCount => "a lottery has 1–12 prizes",
            LotteryError::Odds(OddsError::NotPositive) => "each prize's odds must be positive",
            LotteryError::Odds(OddsError::AboveCertain) => "the odds together are at most 10,000 bp",
            LotteryError::PrizeShape => {
                "a points prize gives points > 0 and no item_id; an item or coupon prize gives an item_id and no points"
            }
            LotteryError::Stock => "a prize's stock is 0 or more",
        }
    }
}

/// Every rule of a new lottery the form can check (the server applies the same, and then
/// that an item prize's item is a physical one and a coupon prize's a voucher).
pub fn check_lottery(new: &NewLottery) -> Result<(), LotteryError> {
    use crate::catalog_admin::name_fits;
    let named = |t: &I18nText| name_fits(&t.zh, LOTTERY_NAME_MAX) && name_fits(&t.en, LOTTERY_NAME_MAX);
    if !named(&new.name) || new.prizes.iter().any(|p| !named(&p.name)) {
        return Err(LotteryError::Name);
    }
    if new.cost_points <= 0 {
        return Err(LotteryError::Cost);
    }
    if new.draws_per_day <= 0 {
        return Err(LotteryError::DrawsPerDay);
    }
    if !(1..=PRIZES_MAX).contains(&new.prizes.len()) {
        return Err(LotteryError::PrizeCount);
    }
    let odds: Vec<i64> = new.prizes.iter().map(|p| p.probability_bp).collect();
    check_odds(&odds).map_err(LotteryError::Odds)?;
    for p in &new.prizes {
        let shaped = match p.kind {
            PrizeKind::Points => p.points.is_some_and(|n| n > 0) && p.item_id.is_none(),
            PrizeKind::Item | PrizeKind::Coupon => p.points.is_none() && p.item_id.is_some(),
        };
        if !shaped {
            return Err(LotteryError::PrizeShape);
        }
        if p.stock < 0 {
            return Err(LotteryError::Stock);
        }
    }
    Ok(())
}

/// Why a lottery's odds are not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OddsError {
    /// A prize with odds ≤ 0.
    NotPositive,
    /// Odds adding up to more than certain.
    AboveCertain,
}

/// Checks published odds: each positive, together at most [`ODDS_SCALE`].
pub fn check_odds(odds: &[i64]) -> Result<(), OddsError> {
    if odds.iter().any(|o| *o <= 0) {
        return Err(OddsError::NotPositive);
    }
    // Checked: odds near i64::MAX must not wrap into a small sum.
    let total = odds.iter().try_fold(0i64, |sum, o| sum.checked_add(*o));
    if total.is_none_or(|t| t > i64::from(ODDS_SCALE)) {
        return Err(OddsError::AboveCertain);
    }
    Ok(())
}

/// What one draw lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Prize `index` (into the odds given), which is in stock.
    Prize(usize),
    /// Prize `index`, which is out of stock: no prize.
    OutOfStock(usize),
    /// Nothing.
    NoPrize,
}

/// The draw: `roll` (uniform in `0..ODDS_SCALE`) walks the prizes' cumulative odds; a
/// prize out of stock is no prize (the page says so before drawing).
pub fn draw(odds: &[(i64, bool)], roll: u32) -> Outcome {
    let mut cumulative = 0i64;
    for (index, &(bp, in_stock)) in odds.iter().enumerate() {
        cumulative = cumulative.saturating_add(bp);
        if i64::from(roll) < cumulative {
            return if in_stock { Outcome::Prize(index) } else { Outcome::OutOfStock(index) };
        }
    }
    Outcome::NoPrize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small, fixed-seed generator (SplitMix64): the same rolls every run.
    struct SplitMix(u64);

    impl SplitMix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Uniform in `0..n` (rejection sampling, no modulo bias).
        fn below(&mut self, n: u32) -> u32 {
            let zone = u64::MAX - u64::MAX % u64::from(n);
            loop {
                let x = self.next();
                if x < zone {
                    return (x % u64::from(n)) as u32;
                }
            }
        }
    }

    fn text(s: &str) -> I18nText {
        I18nText { zh: s.into(), en: s.into() }
    }

    fn points_prize(bp: i64) -> NewPrize {
        NewPrize { name: text("100 积分"), kind: PrizeKind::Points, points: Some(100), item_id: None, probability_bp: bp, stock: 5 }
    }

    fn lottery() -> NewLottery {
        NewLottery { name: text("幸运抽奖"), cost_points: 50, draws_per_day: 5, prizes: vec![points_prize(1_000)] }
    }

    #[test]
    fn lottery_rules() {
        assert_eq!(check_lottery(&lottery()), Ok(()));
        assert_eq!(check_lottery(&NewLottery { name: text(""), ..lottery() }), Err(LotteryError::Name));
        assert_eq!(check_lottery(&NewLottery { cost_points: 0, ..lottery() }), Err(LotteryError::Cost));
        assert_eq!(check_lottery(&NewLottery { draws_per_day: 0, ..lottery() }), Err(LotteryError::DrawsPerDay));
        assert_eq!(check_lottery(&NewLottery { prizes: vec![], ..lottery() }), Err(LotteryError::PrizeCount));
        assert_eq!(check_lottery(&NewLottery { prizes: vec![points_prize(1); 13], ..lottery() }), Err(LotteryError::PrizeCount));
        let odds = NewLottery { prizes: vec![points_prize(6_000), points_prize(4_001)], ..lottery() };
        assert_eq!(check_lottery(&odds), Err(LotteryError::Odds(OddsError::AboveCertain)));
        assert_eq!(
            check_lottery(&NewLottery { prizes: vec![points_prize(0)], ..lottery() }),
            Err(LotteryError::Odds(OddsError::NotPositive))
        );
        let shape =
            |kind, points, item_id| NewLottery { prizes: vec![NewPrize { kind, points, item_id, ..points_prize(10) }], ..lottery() };
        assert_eq!(check_lottery(&shape(PrizeKind::Points, None, None)), Err(LotteryError::PrizeShape));
        assert_eq!(check_lottery(&shape(PrizeKind::Points, Some(0), None)), Err(LotteryError::PrizeShape));
        assert_eq!(check_lottery(&shape(PrizeKind::Points, Some(5), Some(1))), Err(LotteryError::PrizeShape));
        assert_eq!(check_lottery(&shape(PrizeKind::Item, None, Some(1))), Ok(()));
        assert_eq!(check_lottery(&shape(PrizeKind::Coupon, Some(5), Some(1))), Err(LotteryError::PrizeShape));
        assert_eq!(check_lottery(&shape(PrizeKind::Coupon, None, None)), Err(LotteryError::PrizeShape));
        let stock = NewLottery { prizes: vec![NewPrize { stock: -1, ..points_prize(10) }], ..lottery() };
        assert_eq!(check_lottery(&stock), Err(LotteryError::Stock));
    }

    #[test]
    fn odds_that_would_overflow_are_above_certain() {
        assert_eq!(check_odds(&[i64::MAX, i64::MAX, 2]), Err(OddsError::AboveCertain));
        assert_eq!(check_odds(&[i64::MAX, 1]), Err(OddsError::AboveCertain));
        assert_eq!(draw(&[(i64::MAX, true), (i64::MAX, true)], 5), Outcome::Prize(0));
    }

    #[test]
    fn twenty_thousand_seeded_draws_match_the_published_odds() {
        // 5 %, 15 %, 30 % and 50 % no prize.
        let odds = [(500, true), (1_500, true), (3_000, true)];
        let mut counts = [0u32; 4];
        let mut rng = SplitMix(42);
        let n = 20_000;
        for _ in 0..n {
            match draw(&odds, rng.below(ODDS_SCALE)) {
                Outcome::Prize(i) => counts[i] += 1,
                Outcome::NoPrize => counts[3] += 1,
                Outcome::OutOfStock(_) => unreachable!("all in stock"),
            }
        }
        let expected = [0.05, 0.15, 0.30, 0.50].map(|p| p * f64::from(n));
        let chi2: f64 = counts.iter().zip(expected).map(|(&o, e)| (f64::from(o) - e).powi(2) / e).sum();
        // 3 degrees of freedom: p = 0.001 at 16.27. The seed is fixed, so this never flakes;
        // a draw function that skews the odds by a few tenths of a percent fails it.
        println!("chi-square over {n} draws: {chi2:.3} (counts {counts:?})");
        assert!(chi2 < 16.27, "chi-square {chi2:.2} for {counts:?}");
    }

    #[test]
    fn a_prize_out_of_stock_is_no_prize_and_odds_are_checked() {
        let odds = [(500, false), (1_500, true)];
        assert_eq!(draw(&odds, 0), Outcome::OutOfStock(0));
        assert_eq!(draw(&odds, 499), Outcome::OutOfStock(0));
        assert_eq!(draw(&odds, 500), Outcome::Prize(1));
        assert_eq!(draw(&odds, 1_999), Outcome::Prize(1));
        assert_eq!(draw(&odds, 2_000), Outcome::NoPrize);
        assert_eq!(draw(&odds, ODDS_SCALE - 1), Outcome::NoPrize);
        assert_eq!(check_odds(&[5_000, 5_000]), Ok(()));
        assert_eq!(check_odds(&[5_000, 5_001]), Err(OddsError::AboveCertain));
        assert_eq!(check_odds(&[0, 10]), Err(OddsError::NotPositive));
    }
}
