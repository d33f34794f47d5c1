/**
 * Built-in bot players (issue 8 "Bots"): `createBot({ level, seed, timeDilation })` and the view they
 * observe. See ./README.md.
 */
export { BOT_LEVELS, type Bot, type BotAlert, type BotEvent, type BotLevel, type BotOptions, type BotPage, type BotProfile, type BotReply, type BotView } from './types.ts';
export { BOT_PROFILES } from './profiles.ts';
export { botSeed, createBot } from './bot.ts';
