package dev.switchboard.message;

/** A DM is a channel of exactly two members; a GROUP has a name and any number. */
public enum ChannelType { DM, GROUP }
