r"""Relationship index: statements DataFrame in, index DataFrame out.

Takes the statements DataFrame (``statement_id``, ``published``, ``source``, ``target``,
``tone``, ``confidence``, ``sentence``, ...; see ``docs/ARCHITECTURE.md``) and gives, per
country pair and calendar period (ISO week ``2024-W05``, month ``2024-02``, quarter
``2024-Q1`` or year ``2024``), an index in [-100, 100] with an uncertainty band. Periods
without statements are absent (missing), never neutral.

Method
------
**Weights.** Statement :math:`i` gets weight

.. math:: w_i = c_i / k_i

where :math:`c_i` is the tone model's confidence (1 if ``confidence_weighting=False``) and
:math:`k_i` is the size of its syndication cluster: statements with the same ``source`` and
``target``, published within ``syndication_days`` of each other, whose sentences are equal
after normalisation (lower case, letters and digits only) or share a token Jaccard similarity
>= 0.9, are one report copied by several outlets; they are linked transitively and share one
unit of weight.

**Shrunk mean.** For a pair and period with statements :math:`i = 1..n`,
:math:`W = \sum_i w_i`, :math:`S = \sum_i w_i t_i` and prior strength :math:`k_0`
(``prior_strength``):

.. math:: m = \frac{S + k_0 b}{W + k_0}

The baseline :math:`b` is the pair's long-run weighted mean shrunk towards neutral,
:math:`b = S_{all} / (W_{all} + k_0)` (0 for a pair never seen in ``fit``). With ``half_life``
:math:`h` set, :math:`b` is instead the exponentially discounted mean of the *previous*
periods only, with discount :math:`d = 2^{-1/h}` per calendar period of distance,
:math:`b_p = \sum_{q<p} d^{p-q} S_q / (\sum_{q<p} d^{p-q} W_q + k_0)`, so a pair's first
period has :math:`b = 0`. Few statements are pulled towards :math:`b`, many outweigh it.

**Uncertainty.** Treat independent reports as :math:`t_i = \mu + \varepsilon_i` with common
variance :math:`\sigma^2`, and the prior as :math:`k_0` unit-weight pseudo-observations at
:math:`b` with spread :math:`\tau^2 = 1/3` (the variance of a uniform tone on [-1, 1]). The
variance of :math:`m` is then

.. math:: \operatorname{sd}^2 = \frac{s^2 Q + k_0 \tau^2}{(W + k_0)^2},\qquad
          s^2 = \frac{\sum_i w_i (t_i - \bar t)^2 + k_0 \tau^2}{W + k_0},\qquad
          Q = \sum_{c} \Big(\sum_{i \in c} w_i\Big)^2

where :math:`\bar t = S / W`, :math:`s^2` is the within-period spread regularised towards
:math:`\tau^2` (one statement says nothing about spread) and :math:`Q` sums squared weights
over syndication clusters :math:`c` (copies are perfectly correlated). The band is wide for
few statements and narrows as agreeing statements accumulate.

**Output.** ``index = 100 m``; ``lower, upper = 100 (m \mp z\,\mathrm{sd})`` clipped to
[-100, 100], with :math:`z` the normal quantile for ``1 - alpha/2``.

**Alerts.** A pair's index moved more than its bands explain when
:math:`|m_p - m_{p'}| > z \sqrt{\mathrm{sd}_p^2 + \mathrm{sd}_{p'}^2}` with :math:`p'` the
pair's previous period with data.

Examples
--------
>>> import pandas as pd
>>> from tracker.index import RelationshipIndex
>>> st = pd.DataFrame({
...     "statement_id": [1, 2], "published": pd.to_datetime(["2024-02-01", "2024-02-02"]),
...     "source": ["USA", "CHN"], "target": ["CHN", "USA"], "tone": [-0.8, -0.6],
...     "confidence": [0.9, 0.8], "sentence": ["US warns China.", "China rebukes US."]})
>>> RelationshipIndex(period="W").fit_transform(st)[["period", "country_a", "country_b"]]
     period country_a country_b
0  2024-W05       CHN       USA
"""
from __future__ import annotations

import math
import re
from statistics import NormalDist

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from tracker import errors
from tracker.periods import check_period, period_label, period_ordinal


#: Prior spread of a tone: the variance of a uniform value on [-1, 1].
TAU2 = 1.0 / 3.0

REQUIRED_COLUMNS = ("statement_id", "published", "source", "target", "tone", "confidence", "sentence")
UNDIRECTED_KEYS = ("country_a", "country_b")
DIRECTED_KEYS = ("source", "target")
INDEX_COLUMNS = ("period", "period_start", "{a}", "{b}", "index", "lower", "upper", "n_statements")


_NON_WORD = re.compile(r"[^\w]+")


def _normalise(sentence: object) -> str:
    return " ".join(_NON_WORD.sub(" ", str(sentence).lower()).split())


def syndication_clusters(frame: pd.DataFrame, days: float | None) -> np.ndarray:
    """Cluster near-identical copies of one report.

    Two statements are copies when they have the same ``source`` and ``target``, were published
    at most ``days`` apart, and their normalised sentences are equal or have token Jaccard
    similarity >= 0.9; clusters are the transitive closure of that relation.

    Parameters
    ----------
    frame : DataFrame with ``published``, ``source``, ``target``, ``sentence``; shape (n, ...)
    days : float or None
        None or a negative value turns de-duplication off.

    Returns
    -------
    ndarray of int, shape (n,)
        A cluster id per row (rows in the same cluster share the id).
    """
    n = len(frame)
    parent = np.arange(n)
    if days is None or days < 0 or n == 0:
        return parent

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    published = pd.to_datetime(frame["published"]).to_numpy()
    window = np.timedelta64(int(round(days * 86400)), "s")
    norm = [_normalise(s) for s in frame["sentence"]]
    tokens = [frozenset(s.split()) for s in norm]
    for _, rows in frame.groupby(["source", "target"], sort=False).indices.items():
        rows = rows[np.argsort(published[rows], kind="stable")]
        for a_pos, i in enumerate(rows):
            for j in rows[a_pos + 1:]:
                if published[j] - published[i] > window:
                    break
                same = norm[i] == norm[j]
                if not same and tokens[i] and tokens[j]:
                    inter = len(tokens[i] & tokens[j])
                    same = inter / len(tokens[i] | tokens[j]) >= 0.9
                if same:
                    ri, rj = find(i), find(j)
                    if ri != rj:
                        parent[max(ri, rj)] = min(ri, rj)
    return np.array([find(i) for i in range(n)])


def _py(value: object) -> object:
    """numpy scalars as plain Python values, so messages read ``3.0`` not ``np.float64(3.0)``."""
    return value.item() if isinstance(value, np.generic) else value


def _validate_statements(X: object, confidence_weighting: bool) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame):
        raise errors.TrackerError(
            f"statements must be a pandas DataFrame, got {type(X).__name__}; "
            "build it with the columns listed in docs/ARCHITECTURE.md."
        )
    required = [c for c in REQUIRED_COLUMNS if c != "confidence" or confidence_weighting]
    missing = [c for c in required if c not in X.columns]
    if missing:
        raise errors.TrackerError(
            f"statements DataFrame is missing columns: {', '.join(missing)}; "
            f"it needs: {', '.join(required)}."
        )
    if len(X) == 0:
        raise errors.TrackerError("statements DataFrame is empty; there is nothing to index.")
    df = X.copy()
    if df["statement_id"].duplicated().any():
        dup = df.loc[df["statement_id"].duplicated(), "statement_id"].iloc[0]
        raise errors.TrackerError(f"statement_id {_py(dup)!r} occurs more than once; ids must be unique.")
    published = pd.to_datetime(df["published"], errors="coerce")
    if published.isna().any():
        bad = df.loc[published.isna(), "statement_id"].iloc[0]
        bad = _py(bad)
        raise errors.TrackerError(f"statement {bad!r}: 'published' is missing or not a date; fix it.")
    df["published"] = published.astype("datetime64[ns]")
    tone = pd.to_numeric(df["tone"], errors="coerce").astype(float)
    bad_tone = tone.isna() | (tone < -1) | (tone > 1)
    if bad_tone.any():
        bad = _py(df.loc[bad_tone, "statement_id"].iloc[0])
        value = _py(df.loc[bad_tone, "tone"].iloc[0])
        raise errors.TrackerError(f"statement {bad!r}: tone {value!r} is not in [-1, 1]; fix the score.")
    df["tone"] = tone
    if confidence_weighting:
        conf = pd.to_numeric(df["confidence"], errors="coerce").astype(float)
        bad_conf = conf.isna() | (conf < 0) | (conf > 1)
        if bad_conf.any():
            bad = df.loc[bad_conf, "statement_id"].iloc[0]
            bad = _py(bad)
            raise errors.TrackerError(
                f"statement {bad!r}: confidence {_py(df.loc[bad_conf, 'confidence'].iloc[0])!r} is not in [0, 1]; "
                "fix it or use confidence_weighting=False."
            )
        df["confidence"] = conf
    if "sentence" not in df.columns:
        df["sentence"] = df["statement_id"].astype(str)  # without text nothing counts as a copy
    df["source"] = df["source"].astype(str)
    df["target"] = df["target"].astype(str)
    # A fixed row order makes every floating-point sum independent of the caller's order.
    order = np.lexsort((df["statement_id"].astype(str).to_numpy(),))
    return df.iloc[order].reset_index(drop=True)


class RelationshipIndex(BaseEstimator):
    """Pair-by-period relationship index with an uncertainty band.

    See the module docstring for the formula.

    Parameters
    ----------
    period : {"W", "M", "Q", "Y"}, default="W"
        ISO week, month, quarter or year.
    directed : bool, default=False
        False: one series per unordered pair ``country_a < country_b`` from both directions.
        True: one series per ``source -> target``.
    prior_strength : float, default=3.0
        :math:`k_0`, how many full-weight statements the baseline counts as (> 0).
    half_life : float or None, default=None
        None: the baseline is the pair's long-run mean. A number: the baseline is the
        exponentially discounted mean of earlier periods with this half-life, in periods.
    syndication_days : float or None, default=3
        Copies of one sentence within this many days count once; None turns this off.
    confidence_weighting : bool, default=True
        Weight statements by the tone model's confidence.
    alpha : float, default=0.05
        The band is the ``1 - alpha`` normal interval.

    Attributes
    ----------
    baselines_ : DataFrame
        Per pair: key columns, ``sum_w``, ``sum_wt``, ``baseline`` (long-run baseline).
    aggregates_ : DataFrame
        Per pair-period of the fitted data: key columns, ``period``, ``period_start``,
        ``n_statements``, ``sum_w``, ``mean`` (data mean), ``baseline``, ``m``, ``sd``.
    weights_ : DataFrame
        Per fitted statement: ``statement_id``, key columns, ``period``, ``tone``, ``weight``.
    results_ : DataFrame
        The index DataFrame of the fitted data (what ``fit_transform`` returns).

    Examples
    --------
    >>> import pandas as pd
    >>> st = pd.DataFrame({"statement_id": [1], "published": pd.to_datetime(["2024-02-01"]),
    ...     "source": ["USA"], "target": ["CHN"], "tone": [-1.0], "confidence": [1.0],
    ...     "sentence": ["US condemns China."]})
    >>> est = RelationshipIndex(period="M").fit(st)
    >>> round(float(est.results_["index"].iloc[0]), 2)
    -43.75
    >>> est.evidence(("USA", "CHN"), "2024-02")
       statement_id  weight
    0             1     1.0
    """

    def __init__(
        self,
        period="W",
        directed=False,
        prior_strength=3.0,
        half_life=None,
        syndication_days=3,
        confidence_weighting=True,
        alpha=0.05,
    ):
        self.period = period
        self.directed = directed
        self.prior_strength = prior_strength
        self.half_life = half_life
        self.syndication_days = syndication_days
        self.confidence_weighting = confidence_weighting
        self.alpha = alpha

    # -- parameters -------------------------------------------------------------------------
    def _check_params(self) -> None:
        check_period(self.period)
        k0 = self.prior_strength
        if not isinstance(k0, (int, float)) or not math.isfinite(k0) or k0 <= 0:
            raise errors.TrackerError(f"prior_strength {k0!r} is invalid; use a number > 0.")
        h = self.half_life
        if h is not None and (not isinstance(h, (int, float)) or not math.isfinite(h) or h <= 0):
            raise errors.TrackerError(f"half_life {h!r} is invalid; use None or a number of periods > 0.")
        s = self.syndication_days
        if s is not None and (not isinstance(s, (int, float)) or not math.isfinite(s) or s < 0):
            raise errors.TrackerError(f"syndication_days {s!r} is invalid; use None or a number of days >= 0.")
        a = self.alpha
        if not isinstance(a, (int, float)) or not 0 < a < 1:
            raise errors.TrackerError(f"alpha {a!r} is invalid; use a number between 0 and 1, e.g. 0.05.")

    @property
    def _keys(self) -> tuple[str, str]:
        return DIRECTED_KEYS if self.directed else UNDIRECTED_KEYS

    def _z(self) -> float:
        return NormalDist().inv_cdf(1 - self.alpha / 2)

    # -- per-statement weights ----------------------------------------------------------------
    def _statement_table(self, X: object) -> pd.DataFrame:
        df = _validate_statements(X, bool(self.confidence_weighting))
        a, b = self._keys
        if self.directed:
            keys = pd.DataFrame({a: df["source"], b: df["target"]})
        else:
            src, tgt = df["source"].to_numpy(dtype=object), df["target"].to_numpy(dtype=object)
            lo, hi = np.where(src <= tgt, src, tgt), np.where(src <= tgt, tgt, src)
            keys = pd.DataFrame({a: lo, b: hi})
        labels, starts = period_label(df["published"], self.period)
        cluster = syndication_clusters(df, self.syndication_days)
        size = pd.Series(cluster).map(pd.Series(cluster).value_counts()).to_numpy()
        conf = df["confidence"].to_numpy(float) if self.confidence_weighting else np.ones(len(df))
        table = pd.DataFrame({
            "statement_id": df["statement_id"].to_numpy(),
            a: keys[a].to_numpy(dtype=object),
            b: keys[b].to_numpy(dtype=object),
            "period": np.asarray(labels, dtype=object),
            "period_start": starts,
            "ordinal": period_ordinal(starts, self.period),
            "tone": df["tone"].to_numpy(float),
            "weight": conf / size,
            "cluster": cluster,
        })
        return table

    def _period_table(self, st: pd.DataFrame) -> pd.DataFrame:
        a, b = self._keys
        group = [a, b, "period"]
        st = st.assign(wt=st["weight"] * st["tone"])
        agg = st.groupby(group, sort=True).agg(
            period_start=("period_start", "first"),
            ordinal=("ordinal", "first"),
            n_statements=("statement_id", "size"),
            sum_w=("weight", "sum"),
            sum_wt=("wt", "sum"),
        ).reset_index()
        mean = agg["sum_wt"] / agg["sum_w"].where(agg["sum_w"] > 0)
        st = st.merge(agg[group].assign(_mean=mean.fillna(0.0).to_numpy()), on=group, how="left")
        st["wss"] = st["weight"] * (st["tone"] - st["_mean"]) ** 2
        spread = st.groupby(group, sort=True)["wss"].sum().reset_index(drop=True)
        clusters = st.groupby(group + ["cluster"], sort=True)["weight"].sum().pow(2)
        q = clusters.groupby(level=[0, 1, 2], sort=True).sum().reset_index(drop=True)
        agg["sum_wss"] = spread.to_numpy()
        agg["sum_q"] = q.to_numpy()
        agg["mean"] = mean.to_numpy()
        return agg

    # -- baselines ------------------------------------------------------------------------------
    def _long_run(self, agg: pd.DataFrame) -> pd.DataFrame:
        a, b = self._keys
        base = agg.groupby([a, b], sort=True)[["sum_w", "sum_wt"]].sum().reset_index()
        base["baseline"] = base["sum_wt"] / (base["sum_w"] + self.prior_strength)
        return base

    def _discounted(self, agg: pd.DataFrame, history: pd.DataFrame) -> np.ndarray:
        """Baseline of each row of ``agg`` from ``history`` periods strictly before it."""
        a, b = self._keys
        d = 0.5 ** (1.0 / self.half_life)
        k0 = self.prior_strength
        out = np.zeros(len(agg))
        hist = {key: g for key, g in history.groupby([a, b], sort=False)}
        for pos, (key, ordinal) in enumerate(zip(zip(agg[a], agg[b]), agg["ordinal"])):
            g = hist.get(key)
            if g is None:
                continue
            before = g["ordinal"].to_numpy() < ordinal
            if not before.any():
                continue
            disc = d ** (ordinal - g["ordinal"].to_numpy()[before])
            out[pos] = (disc * g["sum_wt"].to_numpy()[before]).sum() / (
                (disc * g["sum_w"].to_numpy()[before]).sum() + k0
            )
        return out

    # -- the index ------------------------------------------------------------------------------
    def _finish(self, agg: pd.DataFrame, baseline: np.ndarray) -> pd.DataFrame:
        k0 = self.prior_strength
        z = self._z()
        W = agg["sum_w"].to_numpy(float)
        m = (agg["sum_wt"].to_numpy(float) + k0 * baseline) / (W + k0)
        m = np.clip(m, -1.0, 1.0)
        s2 = (agg["sum_wss"].to_numpy(float) + k0 * TAU2) / (W + k0)
        sd = np.sqrt((s2 * agg["sum_q"].to_numpy(float) + k0 * TAU2) / (W + k0) ** 2)
        agg = agg.assign(baseline=baseline, m=m, sd=sd)
        agg["index"] = 100.0 * m
        agg["lower"] = np.clip(100.0 * (m - z * sd), -100.0, 100.0)
        agg["upper"] = np.clip(100.0 * (m + z * sd), -100.0, 100.0)
        a, b = self._keys
        agg = agg.sort_values(["period_start", a, b], kind="stable").reset_index(drop=True)
        agg["n_statements"] = agg["n_statements"].astype("int64")
        agg["period_start"] = agg["period_start"].astype("datetime64[ns]")
        return agg

    def _public(self, agg: pd.DataFrame) -> pd.DataFrame:
        a, b = self._keys
        cols = [c.format(a=a, b=b) for c in INDEX_COLUMNS]
        out = agg[cols].copy()
        out["period"] = out["period"].astype(object)
        out[a] = out[a].astype(object)
        out[b] = out[b].astype(object)
        return out

    def fit(self, X, y=None):
        """Learn pair baselines and the index of the statements ``X``.

        Parameters
        ----------
        X : DataFrame, shape (n_statements, ...)
            The statements DataFrame; needs ``statement_id``, ``published``, ``source``,
            ``target``, ``tone``, ``sentence`` and (with confidence weighting) ``confidence``.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        self._check_params()
        st = self._statement_table(X)
        agg = self._period_table(st)
        a, b = self._keys
        self.baselines_ = self._long_run(agg)
        if self.half_life is None:
            baseline = agg[[a, b]].merge(self.baselines_, on=[a, b], how="left")["baseline"].to_numpy(float)
        else:
            baseline = self._discounted(agg, agg)
        self.aggregates_ = self._finish(agg, baseline)
        self.weights_ = st[["statement_id", a, b, "period", "tone", "weight"]].copy()
        self.results_ = self._public(self.aggregates_)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """Index the statements ``X`` against the baselines learned in ``fit``.

        A pair not seen in ``fit`` has baseline 0. With ``half_life``, earlier periods of both
        the fitted data and ``X`` feed the discounted baseline (``X`` wins where both have a
        pair-period).

        Returns
        -------
        DataFrame
            The index DataFrame (see ``docs/ARCHITECTURE.md``), sorted by period and pair.
        """
        check_is_fitted(self, "results_")
        self._check_params()
        st = self._statement_table(X)
        agg = self._period_table(st)
        a, b = self._keys
        if self.half_life is None:
            merged = agg[[a, b]].merge(self.baselines_, on=[a, b], how="left")
            baseline = merged["baseline"].fillna(0.0).to_numpy(float)
        else:
            cols = [a, b, "period", "ordinal", "sum_w", "sum_wt"]
            old = self.aggregates_.assign(
                ordinal=period_ordinal(pd.DatetimeIndex(self.aggregates_["period_start"]), self.period)
            )[cols]
            seen = set(zip(agg[a], agg[b], agg["period"]))
            keep = [k not in seen for k in zip(old[a], old[b], old["period"])]
            history = pd.concat([old[keep], agg[cols]], ignore_index=True)
            baseline = self._discounted(agg, history)
        return self._public(self._finish(agg, baseline))

    def fit_transform(self, X, y=None):
        """``fit(X)`` and return ``results_``, the index of ``X``."""
        return self.fit(X).results_.copy()

    # -- tracing --------------------------------------------------------------------------------
    def _pair_key(self, pair) -> tuple[str, str]:
        try:
            x, y = (str(v) for v in pair)
        except (TypeError, ValueError):
            raise errors.TrackerError(f"pair {pair!r} is invalid; give two country codes, e.g. ('CHN', 'USA').")
        return (x, y) if self.directed else tuple(sorted((x, y)))

    def evidence(self, pair, period: str) -> pd.DataFrame:
        """The statements behind one index value and their weights.

        Parameters
        ----------
        pair : tuple of str
            ``(source, target)`` if directed, else the two countries in any order.
        period : str
            A period label of ``results_``, e.g. ``"2024-W05"``.

        Returns
        -------
        DataFrame with columns ``statement_id`` and ``weight``, shape (n_statements, 2)
            ``weight`` is :math:`w_i`; the value is
            ``(sum(weight * tone) + k0 * baseline) / (sum(weight) + k0)``.
        """
        check_is_fitted(self, "results_")
        a, b = self._keys
        x, y = self._pair_key(pair)
        w = self.weights_
        rows = w[(w[a] == x) & (w[b] == y) & (w["period"] == str(period))]
        if rows.empty:
            raise errors.TrackerError(
                f"no index value for pair {x}-{y} in period {period!r}; "
                "pick a pair and period present in results_."
            )
        return rows[["statement_id", "weight"]].reset_index(drop=True)

    def alerts(self, alpha: float | None = None) -> pd.DataFrame:
        """Pair-periods whose index moved more than the two bands explain.

        Parameters
        ----------
        alpha : float, optional
            Significance level; defaults to the estimator's ``alpha``.

        Returns
        -------
        DataFrame
            See :func:`find_alerts`.
        """
        check_is_fitted(self, "results_")
        alpha = self.alpha if alpha is None else alpha
        return alerts_of(self.aggregates_, self.weights_, self._keys,
                         NormalDist().inv_cdf(1 - alpha / 2))


ALERT_COLUMNS = (
    "period", "period_start", "{a}", "{b}", "previous_period", "previous_index", "index",
    "change", "threshold", "statement_ids",
)


def alerts_of(agg: pd.DataFrame, weights: pd.DataFrame, keys: tuple[str, str], z: float) -> pd.DataFrame:
    a, b = keys
    rows = []
    agg = agg.sort_values([a, b, "period_start"], kind="stable")
    by_pp = {k: g for k, g in weights.groupby([a, b, "period"], sort=False)}
    for (x, y), g in agg.groupby([a, b], sort=True):
        prev = None
        for rec in g.itertuples(index=False):
            rec = rec._asdict()
            if prev is not None:
                change = rec["m"] - prev["m"]
                threshold = z * math.sqrt(prev["sd"] ** 2 + rec["sd"] ** 2)
                if abs(change) > threshold:
                    ev = by_pp.get((x, y, rec["period"]))
                    ids: tuple = ()
                    if ev is not None:
                        pull = ev["weight"].to_numpy() * (ev["tone"].to_numpy() - prev["m"])
                        drive = np.sign(pull) == np.sign(change)
                        order = np.argsort(-np.abs(pull[drive]), kind="stable")
                        ids = tuple(ev["statement_id"].to_numpy()[drive][order].tolist())
                    rows.append({
                        "period": rec["period"], "period_start": rec["period_start"], a: x, b: y,
                        "previous_period": prev["period"], "previous_index": 100.0 * prev["m"],
                        "index": 100.0 * rec["m"], "change": 100.0 * change,
                        "threshold": 100.0 * threshold, "statement_ids": ids,
                    })
            prev = rec
    cols = [c.format(a=a, b=b) for c in ALERT_COLUMNS]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["period_start", a, b], kind="stable").reset_index(drop=True)
