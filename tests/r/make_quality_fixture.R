# Fixture for the design effects of tests/test_quality.py: what R's survey package returns
# as svymean(..., deff = TRUE) for the design of tests/r/make_survey_fixture.R, on the same
# data file (survey_fixture_data.csv, made by that script).
#
# Regenerate (from the repository root; needs R with the survey package, e.g.
# `apt-get install -y --no-install-recommends r-base-core r-cran-survey`):
#
#     Rscript tests/r/make_quality_fixture.R            # reads and writes tests/r/
#     Rscript tests/r/make_quality_fixture.R OUT_DIR    # writes elsewhere
#
# Writes quality_fixture_expected.csv, one row per (lonely policy, variable, domain):
#   estimate, se, deff   coef(), SE() and deff() of svymean(~v, d[dom, ], na.rm = TRUE,
#                        deff = TRUE): the design variance over the variance of a simple
#                        random sample without replacement of the same size from the same
#                        population, svyvar(~v) * (N_hat - n) / (N_hat * n) on the domain
#                        base (n respondents with v observed, N_hat the sum of their weights)
#   n, pop_size          the domain base's respondents and sum of weights
# Numbers are written with 17 significant digits.
#
# Generated with R 4.2.2 and survey 4.1-1 (Debian bookworm packages).

suppressPackageStartupMessages(library(survey))

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else file.path("tests", "r")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
d <- read.csv(file.path("tests", "r", "survey_fixture_data.csv"), stringsAsFactors = FALSE)

domains <- list(
  "all" = rep(TRUE, nrow(d)),
  "sector=A" = d$sector == "A", "sector=B" = d$sector == "B",
  "sector=C" = d$sector == "C", "sector=D" = d$sector == "D",
  "size=small" = d$size == "small", "size=large" = d$size == "large",
  "adopter=1" = d$adopter == 1, "adopter=0" = d$adopter == 0
)
variables <- c(y1 = "proportion", y2 = "proportion", x = "mean")
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

out <- list()
for (policy in c("adjust", "certainty", "remove", "average")) {
  options(survey.lonely.psu = policy, survey.adjust.domain.lonely = FALSE)
  des <- svydesign(ids = ~1, strata = ~stratum, fpc = ~N_h, data = d)
  for (v in names(variables)) {
    for (dn in names(domains)) {
      dom <- domains[[dn]]
      keep <- dom & !is.na(d[[v]])
      if (sum(keep) < 2) next
      m <- suppressWarnings(svymean(as.formula(paste0("~", v)), des[dom, ], na.rm = TRUE, deff = TRUE))
      out[[length(out) + 1]] <- data.frame(
        policy = policy, variable = v, kind = variables[[v]], domain = dn,
        estimate = fmt(unname(coef(m))), se = fmt(unname(SE(m))), deff = fmt(unname(deff(m))),
        n = sum(keep), pop_size = fmt(sum(weights(des)[keep])), stringsAsFactors = FALSE)
    }
  }
}
expected <- do.call(rbind, out)
write.csv(expected, file.path(out_dir, "quality_fixture_expected.csv"), row.names = FALSE, quote = TRUE)
cat("R ", R.version$major, ".", R.version$minor, " survey ", as.character(packageVersion("survey")),
    ": wrote ", nrow(expected), " expected rows to ", out_dir, "\n", sep = "")
