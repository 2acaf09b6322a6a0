# Fixture for tests/test_survey_vs_r.py: what R's survey package returns for the
# estimators that workflow/aibarometer/survey.py mirrors.
#
# Regenerate (from the repository root; needs R with the survey package, e.g.
# `apt-get install -y --no-install-recommends r-base-core r-cran-survey`):
#
#     Rscript tests/r/make_survey_fixture.R            # writes into tests/r/
#     Rscript tests/r/make_survey_fixture.R OUT_DIR    # writes elsewhere
#
# Writes
#   survey_fixture_data.csv      300 respondents in 8 strata (stratum S8 has a single
#                                respondent, stratum S6 is fully enumerated: n_h = N_h),
#                                0/1 variables y1, y2 and continuous x with missing values
#                                (y2 is routed: asked of adopters only; x is missing for
#                                all of stratum S5), row-level domain variable adopter and
#                                stratum-level groupings sector and size.
#   survey_fixture_expected.csv  one row per (level, lonely policy, variable, domain):
#     estimate, se     svymean(~v, d[dom, ], na.rm = TRUE)  (cross-checked against svyby)
#     n, pop_size, df  unweighted n, sum of weights and degf() of d[dom & !is.na(v), ]
#     ci_low, ci_high  proportions: svyciprop(~v, d[dom & !is.na(v), ], method = "logit");
#                      0% / 100%: binom.test() (Clopper-Pearson) on the unweighted counts;
#                      means: confint(svymean(...), df = degf(...))
#     diff_rest, se_diff, p_rest
#                      svyglm(v ~ in_dom, d[!is.na(v), ]): the domain mean minus the mean of
#                      the rest of the base; cross-checked against the variance of the
#                      difference of the two svymean influence functions on the base design
#                      and against svyby(covmat = TRUE) + svycontrast() on the base design;
#                      p = 2 * pt(-|t|, degf(base)).
#   Lonely-PSU policies: adjust, certainty, remove, average (survey.adjust.domain.lonely
#   stays FALSE). Numbers are written with 17 significant digits.
#
# Generated with R 4.2.2 and survey 4.1-1 (Debian bookworm packages).

suppressPackageStartupMessages(library(survey))

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else file.path("tests", "r")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# ------------------------------------------------------------------ the data
set.seed(20240501)
strata <- data.frame(
  stratum = paste0("S", 1:8),
  sector  = c("A", "A", "B", "B", "C", "C", "D", "D"),
  size    = c("small", "large", "small", "large", "small", "large", "small", "large"),
  N_h     = c(400, 120, 500, 90, 300, 30, 200, 15),
  n_h     = c(60, 40, 55, 35, 45, 30, 34, 1),
  stringsAsFactors = FALSE
)
rows <- strata[rep(seq_len(nrow(strata)), strata$n_h), c("stratum", "sector", "size", "N_h")]
n <- nrow(rows)
rows$id <- seq_len(n)
adopter <- rbinom(n, 1, ifelse(rows$size == "large", 0.55, 0.30))
adopter[rows$stratum == "S8"] <- 1L
rows$adopter <- adopter

p1 <- plogis(-0.6 + 1.1 * adopter + 0.4 * (rows$sector == "B"))
y1 <- rbinom(n, 1, p1)
y1[rows$sector == "D"] <- 1L                     # 100% in sector D -> Clopper-Pearson
y1[runif(n) < 0.08] <- NA
y1[rows$stratum == "S8"] <- 1L                   # the lonely respondent answers y1
rows$y1 <- y1

y2 <- rbinom(n, 1, ifelse(rows$size == "large", 0.45, 0.25))
y2[rows$sector == "C"] <- 0L                     # 0% in sector C -> Clopper-Pearson
y2[adopter == 0] <- NA                           # routed: adopters only
y2[runif(n) < 0.05] <- NA
rows$y2 <- y2

x <- round(exp(rnorm(n, 7 + 0.8 * (rows$size == "large") + 0.3 * adopter, 0.7)), 2)
x[runif(n) < 0.10] <- NA
x[rows$stratum == "S5"] <- NA                    # routed out for a whole stratum
x[rows$stratum == "S8"] <- NA                    # the lonely respondent skips x
rows$x <- x

data_path <- file.path(out_dir, "survey_fixture_data.csv")
write.csv(rows[, c("id", "stratum", "sector", "size", "N_h", "adopter", "y1", "y2", "x")],
          data_path, row.names = FALSE, na = "NA")
d <- read.csv(data_path, stringsAsFactors = FALSE)   # compute on exactly what Python reads

# ------------------------------------------------------------------ domains
domains <- list(
  "all" = rep(TRUE, nrow(d)),
  "sector=A" = d$sector == "A",
  "sector=B" = d$sector == "B",
  "sector=C" = d$sector == "C",
  "sector=D" = d$sector == "D",
  "size=small" = d$size == "small",
  "size=large" = d$size == "large",
  "adopter=1" = d$adopter == 1,
  "adopter=0" = d$adopter == 0
)
dom_cols <- paste0("dom", seq_along(domains))
for (i in seq_along(domains)) d[[dom_cols[i]]] <- as.numeric(domains[[i]])
variables <- c(y1 = "proportion", y2 = "proportion", x = "mean")
byvars <- c("sector", "size", "adopter")

fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

one_row <- function(des, v, kind, dname, dom, dcol, level) {
  y <- d[[v]]
  keep <- dom & !is.na(y)
  nn <- sum(keep)
  res <- list(estimate = NA, se = NA, ci_low = NA, ci_high = NA, ci_method = "none",
              n = nn, pop_size = sum(weights(des)[keep]), df = degf(des[keep, ]),
              diff_rest = NA, se_diff = NA, p_rest = NA)
  if (nn == 0) return(res)
  f <- as.formula(paste0("~", v))
  m <- svymean(f, des[dom, ], na.rm = TRUE)
  res$estimate <- unname(coef(m))
  res$se <- unname(SE(m))
  bd <- des[keep, ]
  if (kind == "proportion") {
    ones <- sum(y[keep])
    if (ones == 0 || ones == nn) {
      ci <- binom.test(ones, nn, conf.level = level)$conf.int
      res$ci_method <- "clopper-pearson"
    } else {
      ci <- attr(svyciprop(f, bd, method = "logit", level = level), "ci")
      res$ci_method <- "logit"
    }
  } else {
    ci <- confint(m, level = level, df = degf(bd))
    res$ci_method <- "t"
  }
  res$ci_low <- unname(ci[1])
  res$ci_high <- unname(ci[2])

  base_rows <- !is.na(y)
  in_dom <- dom[base_rows]
  if (any(in_dom) && any(!in_dom)) {
    base <- des[base_rows, ]
    fit <- svyglm(as.formula(paste(v, "~", dcol)), design = base)
    res$diff_rest <- unname(coef(fit)[2])
    res$se_diff <- unname(SE(fit)[2])
    res$p_rest <- 2 * pt(-abs(res$diff_rest / res$se_diff), df = degf(base))
    # cross-check: variance of u_domain - u_rest on the base design
    m1 <- svymean(f, des[dom & base_rows, ], influence = TRUE)
    m0 <- svymean(f, des[!dom & base_rows, ], influence = TRUE)
    infl <- matrix(0, nrow = sum(base_rows), ncol = 1)
    infl[in_dom, 1] <- attr(m1, "influence")
    infl[!in_dom, 1] <- -attr(m0, "influence")
    v_diff <- svyrecvar(infl, base$cluster, base$strata, base$fpc, postStrata = base$postStrata)
    stopifnot(abs(sqrt(v_diff[1, 1]) - res$se_diff) < 1e-12,
              abs(coef(m1) - coef(m0) - res$diff_rest) < 1e-10 * max(1, abs(res$diff_rest)))
    # and against svyby(covmat = TRUE) + svycontrast() on the base design (on the full
    # design with na.rm = TRUE, survey 4.1-1's svyby(covmat = TRUE) stops with
    # "number of items to replace is not a multiple of replacement length")
    sb <- svyby(f, as.formula(paste0("~", dcol)), base, svymean, covmat = TRUE)
    ct <- svycontrast(sb, c(-1, 1))                 # levels 0 (rest), 1 (domain)
    stopifnot(abs(SE(ct) - res$se_diff) < 1e-12,
              abs(coef(ct) - res$diff_rest) < 1e-10 * max(1, abs(res$diff_rest)))
  }
  res
}

out <- list()
for (level in c(0.95, 0.90)) {
  policies <- if (level == 0.95) c("adjust", "certainty", "remove", "average") else "adjust"
  for (policy in policies) {
    options(survey.lonely.psu = policy, survey.adjust.domain.lonely = FALSE)
    des <- svydesign(ids = ~1, strata = ~stratum, fpc = ~N_h, data = d)
    stopifnot(isTRUE(all.equal(sum(weights(des)), sum(strata$N_h))))
    for (v in names(variables)) {
      kind <- variables[[v]]
      # svyby gives the same domain estimates as subsetting the design
      for (bv in byvars) {
        sb <- svyby(as.formula(paste0("~", v)), as.formula(paste0("~", bv)), des, svymean,
                    na.rm = TRUE)
        for (lv in as.character(sb[[bv]])) {
          dom <- as.character(d[[bv]]) == lv
          m <- svymean(as.formula(paste0("~", v)), des[dom, ], na.rm = TRUE)
          stopifnot(abs(coef(m) - coef(sb)[lv]) < 1e-13,
                    abs(SE(m) - SE(sb)[match(lv, sb[[bv]])]) < 1e-13)
        }
      }
      for (i in seq_along(domains)) {
        r <- one_row(des, v, kind, names(domains)[i], domains[[i]], dom_cols[i], level)
        out[[length(out) + 1]] <- data.frame(
          level = level, policy = policy, variable = v, kind = kind, domain = names(domains)[i],
          estimate = fmt(r$estimate), se = fmt(r$se), ci_low = fmt(r$ci_low),
          ci_high = fmt(r$ci_high), ci_method = r$ci_method, n = r$n,
          pop_size = fmt(r$pop_size), df = ifelse(is.na(r$df), "NA", as.character(r$df)),
          diff_rest = fmt(r$diff_rest), se_diff = fmt(r$se_diff), p_rest = fmt(r$p_rest),
          stringsAsFactors = FALSE)
      }
    }
  }
}
expected <- do.call(rbind, out)
write.csv(expected, file.path(out_dir, "survey_fixture_expected.csv"), row.names = FALSE,
          quote = TRUE)
cat("R", R.version$major, ".", R.version$minor, " survey ", as.character(packageVersion("survey")),
    ": wrote ", nrow(d), " data rows and ", nrow(expected), " expected rows to ", out_dir, "\n",
    sep = "")
