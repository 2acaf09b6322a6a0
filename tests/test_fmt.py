from aibarometer import fmt


def test_dutch_formats():
    assert fmt.pct(0.232) == "23,2%"
    assert fmt.pct(0.31) == "31,0%"
    assert fmt.pct(1.0) == "100,0%"
    assert fmt.pct(0.0004) == "0,0%"
    assert fmt.num(14274) == "14.274"
    assert fmt.num(1717) == "1.717"
    assert fmt.num(34452.4) == "34.452"
    assert fmt.num(12.34, 1) == "12,3"
    assert fmt.n_caption(1717) == "N = 1.717"
    assert fmt.pp(12.0) == "12,0%"
    assert fmt.pp(3.25, sign=True) == "+3,2%"  # an exact half rounds to even (babel's and Python's rule)
    assert fmt.pp(3.35, sign=True) == "+3,4%" and fmt.pp(-2.0) == "-2,0%"
    assert fmt.ci(0.21, 0.255) == "[21,0%; 25,5%]"
    assert fmt.pct(float("nan")) == fmt.DASH


def test_points():
    assert fmt.points(0.107) == "+10,7 pp"
    assert fmt.points(-0.001) == "\u22120,1 pp"  # a typographic minus
    assert fmt.points(0.0) == "0,0 pp"
