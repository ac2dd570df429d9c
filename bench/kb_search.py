"""Knowledge-base search latency on 5,000 generated articles (fr, nl, en), against a bare SQLite round trip.

The articles are generated from a seeded RNG with support vocabulary in the three languages (words
drawn with a Zipf-like skew, as in real text), written with the portal's own index writer into a temp
dir, then opened read-only the way a web request opens it. Each of the queries (1 to 4 words, some
with a product or version filter, the last word matched as a prefix as in the search box) goes through
`KnowledgeBase.search`, the call the /kb page makes. The baseline is `SELECT 1` on the same connection,
timed the same way, in the same run.

Usage: python bench/kb_search.py [--articles 5000] [--queries 2000]   (writes bench/results/kb_search.txt)
Goal: p95 under 10 ms.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal.kb.index import IndexedArticle, write_index  # noqa: E402
from portal.kb.sqlite import sqlite3  # noqa: E402
from portal.kb.store import KnowledgeBase  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "kb_search.txt"
GOAL_P95_MS = 10.0
SEED = 20261120
PRODUCTS = {"alpha-cam": ("2024.1", "2025.1", "2026.1"), "struct-design": ("23", "24", "25", "26"),
            "net-edge": ("7.2", "7.4", "8.0")}
NAMES = {"alpha-cam": "Alpha CAM", "struct-design": "Struct Design", "net-edge": "NetEdge Firewall"}

VOCABULARY = {
    "en": """licence reinstall computer dongle activation transfer version upgrade firmware backup configuration
        firewall tunnel vpn ipsec route interface gateway certificate password administrator rights support
        request severity production stopped workaround error crash message screenshot file model drawing
        project report export pdf printer template post-processor machine toolpath simulation tool library
        feed rate spindle material stock collision graphics card memory windows update patch service pack
        load combination snow wind beam column steel concrete eurocode annex calculation result check
        customer contract renewal notice maintenance training course user day professional services hours
        escalation publisher defect correction survey satisfaction closure reminder phone voicemail callback
        hours holiday business day queue engineer remote session tool download compress archive size limit
        attachment upload log trace diagram hardware serial number cluster high availability dashboard""",
    "fr": """licence réinstallation poste dongle activation transfert version mise à jour firmware sauvegarde
        configuration pare-feu tunnel vpn ipsec route interface passerelle certificat mot de passe droits
        administrateur support demande sévérité production arrêtée contournement erreur plantage message
        capture écran fichier modèle plan projet rapport export pdf imprimante gabarit post-processeur machine
        trajectoire simulation outil bibliothèque avance broche matière brut collision carte graphique mémoire
        correctif combinaison charges neige vent poutre poteau acier béton eurocode annexe calcul résultat
        vérification client contrat renouvellement préavis maintenance formation cours journée utilisateurs
        prestations heures escalade éditeur défaut correction enquête satisfaction clôture relance téléphone
        messagerie rappel horaires férié jour ouvré file technicien session distance téléchargement
        compression archive taille limite pièce jointe envoi journal trace schéma matériel numéro série""",
    "nl": """licentie herinstallatie computer dongle activering overdracht versie upgrade firmware back-up
        configuratie firewall tunnel vpn ipsec route interface gateway certificaat wachtwoord beheerder
        rechten support aanvraag ernst productie stil omweg fout crash melding schermafdruk bestand model
        tekening project rapport export pdf printer sjabloon postprocessor machine gereedschapsbaan simulatie
        gereedschap bibliotheek voeding spil materiaal botsing grafische kaart geheugen patch belasting
        combinatie sneeuw wind balk kolom staal beton eurocode bijlage berekening resultaat controle klant
        contract verlenging opzegging onderhoud opleiding cursus gebruikersdag diensten uren escalatie
        uitgever defect correctie enquête tevredenheid afsluiting herinnering telefoon voicemail terugbellen
        openingsuren feestdag werkdag wachtrij technicus sessie afstand download comprimeren archief grootte
        limiet bijlage upload logbestand trace schema hardware serienummer cluster dashboard ideeën""",
}
FUNCTION_WORDS = {
    "en": "the a of to and in is for on with when your you it this that be not or by",
    "fr": "le la les de des du et en un une pour sur avec quand votre vous il ce que ne pas ou par",
    "nl": "de het een van en in is voor op met als uw u het dit dat niet of door te bij",
}


def zipf_weights(count: int) -> list[float]:
    return [1.0 / (rank + 1) ** 0.9 for rank in range(count)]


def generated_articles(count: int, rng: random.Random) -> list[IndexedArticle]:
    """`count` articles in random languages: titles of 3-7 topic words, bodies of 150-400 words."""
    articles = []
    for number in range(count):
        language = rng.choice(("fr", "nl", "en"))
        topic = VOCABULARY[language].split()
        rng.shuffle(topic)
        weights = zipf_weights(len(topic))
        filler = FUNCTION_WORDS[language].split()
        title = " ".join(rng.choices(topic, weights, k=rng.randint(3, 7))).capitalize()
        body = " ".join(rng.choice(filler) if rng.random() < 0.45 else rng.choices(topic, weights)[0]
                        for _ in range(rng.randint(150, 400)))
        products = tuple(sorted(rng.sample(sorted(PRODUCTS), rng.randint(1, 2)))) if rng.random() < 0.6 else ()
        versions = ()
        if products and rng.random() < 0.3:
            versions = tuple(rng.sample(PRODUCTS[products[0]], 1))
        articles.append(IndexedArticle(article_id=f"generated-{number:05d}", language=language, title=title,
                                       html=f"<p>{body}</p>", text=body, products=products, versions=versions,
                                       tags=tuple(rng.choices(topic, k=3))))
    return articles


def generated_queries(count: int, rng: random.Random) -> list[tuple[str, str, str | None, str | None]]:
    """(query, language, product, version): 1-4 topic words, a third filtered by product, some by version."""
    queries = []
    for _ in range(count):
        language = rng.choice(("fr", "nl", "en"))
        topic = VOCABULARY[language].split()
        words = rng.sample(topic, rng.randint(1, 4))
        product = rng.choice(sorted(PRODUCTS)) if rng.random() < 0.33 else None
        version = rng.choice(PRODUCTS[product]) if product and rng.random() < 0.3 else None
        queries.append((" ".join(words), language, product, version))
    return queries


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(articles: int, queries: int) -> str:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        path = write_index(generated_articles(articles, rng), Path(folder) / "kb.sqlite3", NAMES, PRODUCTS)
        build_seconds = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        store = KnowledgeBase(path)
        workload = generated_queries(queries, rng)
        for query, language, product, version in workload[:100]:  # warm the page cache, as a warm Lambda is
            store.search(query, language, product, version)
        connection = store._connection()
        baseline, latencies, found = [], [], 0
        for query, language, product, version in workload:
            started = time.perf_counter()
            connection.execute("SELECT 1").fetchone()
            baseline.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            hits = store.search(query, language, product, version, limit=10)
            latencies.append((time.perf_counter() - started) * 1000)
            found += bool(hits)
        store.close()
    p50, p95, p99 = (percentile(latencies, f) for f in (0.50, 0.95, 0.99))
    b50, b95, b99 = (percentile(baseline, f) for f in (0.50, 0.95, 0.99))
    verdict = "met" if p95 < GOAL_P95_MS else "NOT met"
    return "\n".join([
        "Knowledge-base search latency (bench/kb_search.py)",
        f"machine: {platform.machine()} {platform.system()}, python {platform.python_version()}, "
        f"sqlite {sqlite3.sqlite_version}",
        f"index: {articles} generated articles (fr, nl, en), seed {SEED}, built in {build_seconds:.1f} s, "
        f"{size_mb:.1f} MB",
        f"workload: {queries} queries of 1-4 words, a third filtered by product, the last word as a prefix; "
        f"{found} found at least one article",
        "",
        f"{'':<28}{'p50':>10}{'p95':>10}{'p99':>10}{'mean':>10}",
        f"{'search (ms)':<28}{p50:>10.3f}{p95:>10.3f}{p99:>10.3f}{statistics.fmean(latencies):>10.3f}",
        f"{'baseline SELECT 1 (ms)':<28}{b50:>10.4f}{b95:>10.4f}{b99:>10.4f}{statistics.fmean(baseline):>10.4f}",
        f"{'search / baseline':<28}{p50 / b50:>10.0f}{p95 / b95:>10.0f}{p99 / b99:>10.0f}",
        "",
        f"goal: p95 under {GOAL_P95_MS:.0f} ms: {verdict} (p95 = {p95:.2f} ms)",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    report = measure(args.articles, args.queries)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
