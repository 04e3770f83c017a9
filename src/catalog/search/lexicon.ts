/**
 * @module catalog/search/lexicon
 * Requests in other languages: tools are named and described in English, but a model often passes
 * the user's words on ("Datei lesen", "listar los archivos de la carpeta", "supprimer une entité").
 * A small offline dictionary maps the everyday words of tool requests in German, French, Spanish,
 * Italian and Portuguese (the actions tools take and the things they act on) to the English word
 * tools use; the rest of the search treats the English word as typed. Words are compared without
 * accents and case, and a plural ending is tried off ("Dateien", "archivos", "fichiers").
 * General vocabulary only, no tool names. A query counts as written in another language only when
 * one of its words is in the dictionary; then that language's articles and prepositions
 * ("der", "los", "une", "nach") are dropped as stop words, which they are not in English requests
 * ("ps aux").
 */

/** English word ← its translations (accents optional: matched folded). */
const WORDS: Record<string, string> = {
  // actions
  read: "lesen lies lire lis lisez leer leggere leggi ler leia",
  write: "schreiben schreibe écrire écris escribir escribe scrivere scrivi escrever escreva",
  create: "erstellen erstelle anlegen erzeugen créer crée creer crear crea creare criar crie",
  delete: "löschen lösche entfernen entferne supprimer supprime effacer borrar borra eliminar elimina eliminare cancellare cancella excluir exclua apagar apague",
  list: "auflisten liste lister listar lista elencare elenca",
  search: "suchen suche durchsuchen chercher cherche rechercher recherche buscar busca busque cercare cerca procurar procure pesquisar",
  find: "finden finde trouver trouve encontrar encuentra encontre trovare trova",
  send: "senden sende schicken schicke envoyer envoie enviar envía envia inviare invia",
  show: "zeigen zeige anzeigen afficher affiche montrer montre mostrar muestra mostre mostrare mostra",
  update: "aktualisieren aktualisiere actualizar actualiza aggiornare aggiorna atualizar atualize",
  change: "ändern ändere modifier modifie cambiar cambia modificar modifica modificare",
  edit: "bearbeiten bearbeite éditer édite editar edita",
  move: "verschieben verschiebe déplacer déplace mover mueve spostare sposta",
  rename: "umbenennen renommer renomme renombrar renombra rinominare rinomina renomear",
  copy: "kopieren kopiere copier copie copiar copia copiare",
  save: "speichern speichere enregistrer enregistre sauvegarder guardar guarda salvare salva salvar",
  open: "öffnen öffne ouvrir ouvre abrir abre aprire apri",
  download: "herunterladen télécharger telecharge descargar descarga scaricare scarica baixar",
  upload: "hochladen téléverser subir sube caricare carica",
  run: "ausführen ausfuhren exécuter execute ejecutar ejecuta eseguire esegui executar",
  merge: "zusammenführen fusionner fusionar mesclar",
  comment: "kommentieren kommentar commenter commentaire comentar comentario commentare commento",
  add: "hinzufügen hinzufugen ajouter ajoute añadir agregar agrega aggiungere aggiungi adicionar",
  remember: "merken merke erinnern retenir recordar ricordare lembrar",
  convert: "umrechnen umwandeln konvertieren convertir convertire converter",
  // things
  file: "datei fichier archivo fichero arquivo",
  directory: "ordner verzeichnis dossier répertoire repertoire carpeta directorio cartella pasta diretório",
  message: "nachricht mensaje messaggio mensagem",
  page: "seite página pagina",
  entity: "entität entitat entité entidad entità entita entidade",
  repository: "repositorio repositório",
  branch: "zweig rama ramo",
  issue: "incidencia",
  user: "benutzer nutzer utilisateur usuario utente usuário",
  table: "tabelle tabla tabella tabela",
  database: "datenbank",
  image: "bild imagen immagine imagem",
  time: "uhrzeit heure hora",
  channel: "kanal canal canale",
  note: "notiz nota",
  name: "namen nombre nom nome",
  content: "inhalt contenu contenido contenuto conteúdo conteudo",
  size: "größe grosse taille tamaño tamano dimensione tamanho",
  new: "neu neue neuen nouveau nouvelle nuevo nueva nuovo nuova novo nova",
  relation: "beziehung relación relacion relazione relação",
  observation: "beobachtung observación observacion osservazione observação",
  graph: "graphe grafo",
  memory: "gedächtnis mémoire memoria memória",
  weather: "wetter météo meteo clima",
  link: "verknüpfung lien enlace collegamento",
  project: "projekt projet proyecto progetto projeto",
}

/** Articles, prepositions and pronouns of those languages (dropped only in a query the dictionary recognises). */
const FOREIGN_STOP = new Set(
  (
    "der die das den dem des ein eine einen einem einer und oder mit nach von vom zu zum zur im auf für aus bei ist sind mein meine meinen meinem dein deine alle alles bitte " +
    "le la les un une des du de et ou dans sur pour par avec au aux mon ma mes ton ta tes son sa ses ce cette est tous toutes " +
    "el los las unos unas del y o en con para por al que mi mis tu tus su sus todos todas " +
    "il lo gli di della dei delle nel nella per da mio mia tutti " +
    "um uma do da dos das em no na com meu minha"
  ).split(" "),
)

/**
 * Question words, the copula and its pronoun of those languages: read as English only in a request
 * the dictionary already recognises, so the English phrases of the synonym table read it as they
 * read English ("quelle heure est-il" is "what time is it"). Never alone: "est" is a timezone
 * ("3pm EST"), "il" an article.
 */
const FUNCTION_WORDS: Record<string, string> = {
  what: "quelle quel quels quelles qué cuál cuáles welche welcher welches quale quali qual quais",
  is: "est ist è",
  it: "il elle",
}

let FUNCTION_TABLE: Map<string, string> | undefined

/** The English question word, copula or pronoun for one of another language (see FUNCTION_WORDS). */
export function translateFunctionWord(word: string): string | undefined {
  if (!FUNCTION_TABLE) {
    FUNCTION_TABLE = new Map()
    for (const [en, words] of Object.entries(FUNCTION_WORDS)) for (const w of words.split(" ")) FUNCTION_TABLE.set(fold(w), en)
  }
  return FUNCTION_TABLE.get(fold(word))
}

/** Lowercase, without accents. */
function fold(w: string): string {
  return w.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
}

let TABLE: Map<string, string> | undefined

function table(): Map<string, string> {
  if (TABLE) return TABLE
  TABLE = new Map()
  for (const [en, words] of Object.entries(WORDS)) for (const w of words.split(" ")) if (!TABLE.has(fold(w))) TABLE.set(fold(w), en)
  return TABLE
}

/** Plural and inflection endings tried off a word not found as it is. */
const ENDINGS = ["s", "es", "en", "n", "e"]

/** The English word for a word of another language, when the dictionary has it. */
export function translate(word: string): string | undefined {
  const t = table()
  const f = fold(word)
  const direct = t.get(f)
  if (direct) return direct
  for (const e of ENDINGS) if (f.length > e.length + 3 && f.endsWith(e)) {
    const hit = t.get(f.slice(0, -e.length))
    if (hit) return hit
  }
  return undefined
}

/** True for an article or preposition of those languages. */
export function isForeignStop(word: string): boolean {
  return FOREIGN_STOP.has(fold(word))
}
