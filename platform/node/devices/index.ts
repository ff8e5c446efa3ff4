// The userspace device models, by the `compatible` string of the board devices they simulate;
// each lives in the file of that name.
import type { ModelFactory } from "./host.js";
import { pl011 } from "./arm,pl011.js";
import { cmsdkUart } from "./arm,cmsdk-apb-uart.js";
import { nrf51Uart } from "./nordic,nrf51-uart.js";
import { stm32Usart } from "./st,stm32-usart.js";
import { pl061 } from "./arm,pl061.js";
import { fpgaio } from "./arm,mps2-fpgaio.js";
import { nrf51Gpio } from "./nordic,nrf51-gpio.js";
import { stellarisGptm } from "./ti,stellaris-gptm.js";
import { cmsdkTimer } from "./arm,cmsdk-apb-timer.js";
import { nrf51Timer } from "./nordic,nrf51-timer.js";
import { stm32Timer } from "./st,stm32-timer.js";
import { nrf51Rng } from "./nordic,nrf51-rng.js";
import { stellarisSysctl } from "./ti,stellaris-sysctl.js";
import { stm32Rcc } from "./st,stm32f4-rcc.js";
import { stm32Gpio } from "./st,stm32-gpio.js";
import { nrf51Clock } from "./nordic,nrf51-clock.js";
import { stellarisEnet } from "./ti,stellaris-enet.js";
import { lan9118 } from "./smsc,lan9118.js";

export const DEVICE_MODELS: Record<string, ModelFactory> = {
  "arm,pl011": pl011,
  "arm,cmsdk-apb-uart": cmsdkUart,
  "nordic,nrf51-uart": nrf51Uart,
  "st,stm32-usart": stm32Usart,
  "arm,pl061": pl061,
  "arm,mps2-fpgaio": fpgaio,
  "nordic,nrf51-gpio": nrf51Gpio,
  "ti,stellaris-gptm": stellarisGptm,
  "arm,cmsdk-apb-timer": cmsdkTimer,
  "nordic,nrf51-timer": nrf51Timer,
  "st,stm32-timer": stm32Timer,
  "nordic,nrf51-rng": nrf51Rng,
  "ti,stellaris-sysctl": stellarisSysctl,
  "st,stm32f4-rcc": stm32Rcc,
  "st,stm32-gpio": stm32Gpio,
  "nordic,nrf51-clock": nrf51Clock,
  "ti,stellaris-enet": stellarisEnet,
  "smsc,lan9118": lan9118,
};
