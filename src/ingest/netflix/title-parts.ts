// Splitting a Netflix title into series, season and episode. Netflix joins the parts with
// ": ", but films use ": " too ("Star Wars: Episode VIII: The Last Jedi"), so a title is split
// only on evidence:
//
// 1. Season marker: a part after the first one that is exactly a season word ("Season 2",
//    "Limited Series", "Part 1", "Volume 3", "Book 1", "Book One", "Series 3", "Collection",
//    German "Staffel 2", "Teil 1", "Miniserie", ...) and is followed by at least one more part.
//    Series = the parts before it, season = the marker (a number for "Season 2" / "Staffel 2" /
//    "Series 3", else the marker's words), episode name = the parts after it.
// 2. Episode number: no marker, but the last part ends in "(Episode 12)" / "(Folge 12)" or is
//    "Episode 12". Series = the first part (Netflix always leads with the show), season = the
//    second part as a named season when there are three parts or more, episode name = the rest.
//    ("ONE PIECE: East Blue: Episode 61", "Haikyu!!: Haikyu!! II: The Former Coward's Fight
//    (Episode 22)"). A show whose own name holds ": " is cut after its first part here.
// Anything else stays whole and is a movie: "Kill Bill: Vol. 1", "Harry Potter and the Deathly
// Hallows: Part 1" (a marker must be followed by an episode name).

export interface TitleParts {
  series: string;
  season?: number | string;
  episodeName: string;
  episode?: number;
}

const NUMBERED_SEASON = /^(?:Season|Series|Staffel|Saison|Temporada|Stagione|Seizoen|Sæson|Säsong|Sezon)\s+(\d+)$/i;
const NAMED_SEASON =
  /^(?:Limited Series|Miniseries|Mini-Series|Miniserie|Collection|(?:Part|Volume|Vol\.|Book|Teil|Band|Buch|Collection|Partie|Parte)\s+(?:\d+|[IVX]+|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten))$/i;
const EPISODE_SUFFIX = /\((?:Episode|Folge|Épisode|Episodio|Episódio|Aflevering)\s+(\d+)\)$/i;
const EPISODE_ONLY = /^(?:Episode|Folge|Épisode|Episodio|Episódio|Aflevering)\s+(\d+)$/i;

function seasonOf(part: string): number | string | null {
  const numbered = NUMBERED_SEASON.exec(part);
  if (numbered !== null) return +numbered[1];
  return NAMED_SEASON.test(part) ? part : null;
}

function episodeNumberOf(name: string): number | undefined {
  const m = EPISODE_SUFFIX.exec(name) ?? EPISODE_ONLY.exec(name);
  return m === null ? undefined : +m[1];
}

/** Series, season and episode of a title, or null when it is not certainly an episode. */
export function splitTitle(title: string): TitleParts | null {
  const parts = title.split(': ').map((p) => p.trim());
  if (parts.length < 2 || parts[0] === '') return null;
  for (let i = 1; i < parts.length - 1; i++) {
    const season = seasonOf(parts[i]);
    if (season === null) continue;
    const episodeName = parts.slice(i + 1).join(': ');
    return withEpisode({ series: parts.slice(0, i).join(': '), season, episodeName });
  }
  const last = parts[parts.length - 1];
  if (episodeNumberOf(last) === undefined) return null;
  if (parts.length === 2) return withEpisode({ series: parts[0], episodeName: last });
  return withEpisode({ series: parts[0], season: parts[1], episodeName: parts.slice(2).join(': ') });
}

function withEpisode(parts: TitleParts): TitleParts {
  const episode = episodeNumberOf(parts.episodeName);
  return episode === undefined ? parts : { ...parts, episode };
}
