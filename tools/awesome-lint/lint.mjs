// Lint a README with awesome-lint's documented report({filename, config}) API, offline:
// the awesome-github rule (which calls the GitHub API) is left out of the default config.
// Usage: node lint.mjs README.md  -> prints one JSON array of messages; exit code 1 if any is an error.
import awesomeLint from 'awesome-lint';
import config from 'awesome-lint/config.js';

const ruleName = plugin => (Array.isArray(plugin) ? plugin[0] : plugin)?.name ?? '';
const offline = config.filter(plugin => ruleName(plugin) !== 'remark-lint:awesome-github');
if (offline.length !== config.length - 1) {
	console.error('awesome-lint: could not find the awesome-github rule to leave out');
	process.exit(2);
}

const reporter = files => JSON.stringify(files.flatMap(file => file.messages.map(message => ({
	file: file.path,
	line: message.line ?? null,
	column: message.column ?? null,
	rule: message.ruleId ?? message.source ?? null,
	fatal: message.fatal ?? null,
	message: message.reason,
}))));

await awesomeLint.report({filename: process.argv[2], config: offline, reporter});
