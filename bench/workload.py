"""The benchmark's German text: the seed article plus paragraphs written for this benchmark.

The extra paragraphs are original text in the style of a news article (politics, economy,
weather, culture), with short headlines and long clause-rich sentences, so that the mix of
lengths resembles what a reader pastes.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "seeds" / "dw-pjoengjang-moskau-pakt.txt"

EXTRA_TEXT = """\
Neue Brücke über die Elbe eröffnet

Nach vier Jahren Bauzeit ist am Samstag in Dresden eine neue Brücke für Fußgänger und Radfahrer \
eröffnet worden. Die Stadt hatte ursprünglich mit Kosten von 18 Millionen Euro gerechnet, am Ende \
wurden es fast 25 Millionen. Der Oberbürgermeister sprach bei der Feier von einem wichtigen Tag \
für die Stadt. Viele Anwohner kamen trotz des Regens zur Eröffnung.

Streit um den Haushalt

Im Landtag wurde am Donnerstag bis spät in die Nacht über den Haushalt für das kommende Jahr \
gestritten. Die Opposition wirft der Regierung vor, bei Schulen und Krankenhäusern zu sparen, \
während für neue Straßen mehr Geld ausgegeben werde. Der Finanzminister wies die Kritik zurück. \
„Wir investieren so viel in Bildung wie nie zuvor“, sagte er. Eine Abstimmung soll im Dezember \
stattfinden.

Wetter: Sturm an der Küste

Der Deutsche Wetterdienst warnt für die Nacht zum Montag vor schweren Sturmböen an der Nordsee. \
Auf den Inseln sind Windgeschwindigkeiten von bis zu 110 Kilometern pro Stunde möglich. \
Mehrere Fähren haben ihren Betrieb bereits eingestellt. Im Binnenland bleibt es dagegen \
weitgehend trocken, bei Temperaturen zwischen acht und zwölf Grad.

Wirtschaft

Die Zahl der Insolvenzen ist im dritten Quartal deutlich gestiegen, wie das Statistische \
Bundesamt mitteilte. Besonders betroffen sind kleine Betriebe im Handel und im Gastgewerbe, die \
unter hohen Energiepreisen und einer schwachen Nachfrage leiden. Fachleute rechnen damit, dass \
sich die Lage erst im Frühjahr bessert. Gleichzeitig suchen viele Unternehmen weiterhin \
Fachkräfte, vor allem in der Pflege, im Handwerk und in der Informationstechnik.

Ausstellung in Leipzig

Das Museum der bildenden Künste zeigt ab Freitag Werke einer Malerin, die lange fast vergessen \
war. Die Ausstellung versammelt mehr als hundert Gemälde und Zeichnungen aus privaten \
Sammlungen. Viele davon sind zum ersten Mal öffentlich zu sehen. Die Kuratorin erklärte, die \
Künstlerin habe ihre Bilder in den zwanziger Jahren in Paris und Berlin gezeigt, sei aber nach \
dem Krieg aus dem Blick der Öffentlichkeit geraten.

Forschung

Ein Team aus Göttingen hat untersucht, wie sich Trockenheit auf Buchenwälder auswirkt. Die \
Forscherinnen und Forscher haben dafür über zehn Jahre hinweg Messdaten aus mehr als 300 \
Waldstücken ausgewertet. Ihr Ergebnis: Ältere Bäume leiden stärker unter langen Dürreperioden \
als junge. Die Studie wurde in einer Fachzeitschrift veröffentlicht.

Sport

Der Aufsteiger hat am Wochenende überraschend gegen den Tabellenführer gewonnen. Das \
entscheidende Tor fiel in der letzten Minute der Nachspielzeit. Der Trainer sagte nach dem \
Spiel, seine Mannschaft habe nie aufgegeben. Am Mittwoch steht bereits das nächste Spiel im \
Pokal an.
"""


def workload_text() -> str:
    """The seed article followed by the extra paragraphs."""
    seed = SEED_ARTICLE.read_text(encoding="utf-8").strip()
    return seed + "\n\n" + EXTRA_TEXT


def unique_sentences(text: str) -> list[str]:
    """The distinct sentences of ``text`` as the project segments them, in reading order."""
    from translate.segment import segment

    return list(dict.fromkeys(s.source for s in segment(text).sentences))
