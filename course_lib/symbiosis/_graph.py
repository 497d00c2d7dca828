"""A park's partners and exchanges as a networkx MultiDiGraph (shared by the Park and the analyses)."""

from __future__ import annotations

import networkx as nx
import pandas as pd

__all__ = ["build"]


def build(name: str, partners: pd.DataFrame, exchanges: pd.DataFrame) -> nx.MultiDiGraph:
    """A node per partner (attributes: every partner column but ``id``), an edge per exchange
    (key: the exchange id; attributes: every exchange column)."""
    graph = nx.MultiDiGraph(name=name)
    for row in partners.to_dict("records"):
        graph.add_node(row["id"], **{k: v for k, v in row.items() if k != "id"})
    for row in exchanges.to_dict("records"):
        graph.add_edge(row["source"], row["target"], key=row["id"], **row)
    return graph
