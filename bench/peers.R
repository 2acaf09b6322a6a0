# Peers benchmark, R side (bench/peers.py runs it): R survey on the file peers.py writes.
#   Rscript bench/peers.R data.csv out.csv
# Design: svydesign(ids = ~1, strata = ~stratum, fpc = ~N_h); the estimates as they are
# usually written: svyciprop (logit) per proportion and svymean for the mean, over all
# enterprises and by sector with svyby. Prints the seconds of the estimation only.
suppressMessages(library(survey))
options(survey.lonely.psu = "adjust")
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c(stratum = "character", sector = "character"))
des <- svydesign(ids = ~1, strata = ~stratum, fpc = ~N_h, data = d)
t0 <- proc.time()[["elapsed"]]
rows <- list()
for (v in c("y1", "y2", "y3")) {
  f <- as.formula(paste0("~", v))
  p <- svyciprop(f, des, method = "logit", na.rm = TRUE)
  rows[[length(rows) + 1]] <- data.frame(variable = v, domain = "all", estimate = as.vector(p),
                                         se = sqrt(as.vector(attr(p, "var"))))
  b <- svyby(f, ~sector, des, svyciprop, method = "logit", na.rm = TRUE, vartype = "se")
  rows[[length(rows) + 1]] <- data.frame(variable = v, domain = paste0("sector:", b$sector), estimate = b[[v]],
                                         se = b[[ncol(b)]])  # vartype = "se": the last column
}
m <- svymean(~x, des, na.rm = TRUE)
rows[[length(rows) + 1]] <- data.frame(variable = "x", domain = "all", estimate = coef(m), se = SE(m)[1])
b <- svyby(~x, ~sector, des, svymean, na.rm = TRUE)
rows[[length(rows) + 1]] <- data.frame(variable = "x", domain = paste0("sector:", b$sector), estimate = b$x, se = b$se)
seconds <- proc.time()[["elapsed"]] - t0
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
cat(sprintf("%.3f\n", seconds))
